"""BriefRevision, BriefTransition, ReviewComment and EditPresence now live in
`editorial` (editorial.0001_initial): state only, their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0006_public_site_pages"),
        ("editorial", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReviewComment"),
                migrations.DeleteModel(name="BriefRevision"),
                migrations.DeleteModel(name="BriefTransition"),
                migrations.DeleteModel(name="EditPresence"),
            ],
            database_operations=[],
        ),
    ]
