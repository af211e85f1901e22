"""Every revision has its number within its brief, once per brief."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0006_number_existing_revisions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="briefrevision",
            name="number",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="briefrevision",
            constraint=models.UniqueConstraint(
                fields=("brief", "number"), name="briefrevision_unique_number"
            ),
        ),
    ]
