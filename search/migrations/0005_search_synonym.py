# Editors keep groups of equivalent search terms (search.synonyms).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0004_postgres_title_body_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('terms', models.TextField(help_text='หนึ่งคำต่อหนึ่งบรรทัด เช่น KM, การจัดการความรู้ — ค้นคำใดก็พบหน้าที่ใช้คำอื่นในกลุ่มด้วย', verbose_name='คำที่มีความหมายเดียวกัน')),
            ],
            options={
                'verbose_name': 'คำพ้องความหมายสำหรับการค้นหา',
                'verbose_name_plural': 'คำพ้องความหมายสำหรับการค้นหา',
            },
        ),
    ]
