"""Revisions get a number within their brief (filled in by the next migration);
the workflow log's moves get their labels as choices."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_assessment_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="briefrevision",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="brieftransition",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "Submit for review"),
                    ("resume", "Back to draft"),
                    ("request_changes", "Request changes"),
                    ("approve", "Approve"),
                    ("publish", "Publish"),
                    ("unschedule", "Cancel scheduled release"),
                    ("withdraw", "Withdraw"),
                    ("start_correction", "Start a correction"),
                    ("trash", "Move to trash"),
                    ("untrash", "Restore from trash"),
                    ("purge", "Purge for good"),
                ],
                max_length=20,
            ),
        ),
    ]
