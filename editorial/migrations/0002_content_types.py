"""Point the moved models' content types at `editorial`, so permissions and
admin log entries follow.

Permissions (`briefs.view_briefrevision` → `editorial.view_briefrevision`)
and admin log entries
refer to the content type row, so renaming its app label moves them all. A
database that never had the row (a fresh one) gets it from `migrate` as usual.
"""

from django.db import migrations

MOVED = [
    ("briefs", "editorial", model)
    for model in ["briefrevision", "brieftransition", "reviewcomment", "editpresence"]
]


def _relabel(apps, schema_editor, *, forward):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for old, new, model in MOVED:
        source, target = (old, new) if forward else (new, old)
        if types.filter(app_label=target, model=model).exists():
            continue  # already there (created by a later `migrate`): keep it
        types.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, forward=True)


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("briefs", "0007_move_editorial_models"),
        ("editorial", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
