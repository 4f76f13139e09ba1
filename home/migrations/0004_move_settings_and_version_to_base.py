"""AgencySettings and PublicContentVersion move to the `base` app (base/0001).

Their tables are renamed, not recreated, so the rows stay; base/0001 takes over
the models' state and their content types (and so their permissions).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("home", "0003_publiccontentversion")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("AgencySettings", "base_agencysettings"),
                migrations.AlterModelTable("PublicContentVersion", "base_publiccontentversion"),
            ],
            state_operations=[
                migrations.DeleteModel("AgencySettings"),
                migrations.DeleteModel("PublicContentVersion"),
            ],
        ),
    ]
