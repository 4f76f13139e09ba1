"""Takes over AgencySettings and PublicContentVersion from `home` (home/0004 renamed their tables)."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("agencysettings", "publiccontentversion")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        ContentType.objects.filter(app_label="base", model=model).delete()
        ContentType.objects.filter(app_label="home", model=model).update(app_label="base")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="base", model__in=MOVED).update(app_label="home")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0004_move_settings_and_version_to_base"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AgencySettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(default="คลังความรู้", max_length=255, verbose_name="ชื่อหน่วยงาน")),
                        ("address", models.TextField(blank=True, verbose_name="ที่อยู่")),
                        ("phone", models.CharField(blank=True, max_length=100, verbose_name="โทรศัพท์")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="อีเมล")),
                        ("logo", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="wagtailimages.image", verbose_name="ตราสัญลักษณ์")),
                        ("site", models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site")),
                    ],
                    options={"verbose_name": "ข้อมูลหน่วยงาน"},
                ),
                migrations.CreateModel(
                    name="PublicContentVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.PositiveBigIntegerField(default=0)),
                    ],
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
