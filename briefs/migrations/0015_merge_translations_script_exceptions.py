from django.db import migrations


class Migration(migrations.Migration):
    """Joins the translations branch and the transliteration branch (#12)."""

    dependencies = [
        ("briefs", "0014_brief_translations"),
        ("briefs", "0014_script_exception_permissions"),
    ]

    operations = []
