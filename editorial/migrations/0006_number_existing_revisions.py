"""Number every brief's existing revisions 1, 2, 3... in the order they were made.

A correction draft's revisions number on from its published brief's, as new
ones do (editorial.revisions.next_revision_number).
"""

from django.db import migrations


def number_revisions(apps, schema_editor):
    Brief = apps.get_model("briefs", "Brief")
    BriefRevision = apps.get_model("editorial", "BriefRevision")
    drafts_of = dict(
        Brief.objects.filter(draft_of__isnull=False).values_list("pk", "draft_of_id")
    )
    last: dict[int, int] = {}
    changed = []
    # Published briefs first, so that their drafts number on from them.
    rows = BriefRevision.objects.order_by("id").only("id", "brief_id")
    for owned_by_draft in (False, True):
        for revision in rows:
            if (revision.brief_id in drafts_of) != owned_by_draft:
                continue
            key = revision.brief_id
            start = last.get(drafts_of[key], 0) if owned_by_draft else 0
            revision.number = last.get(key, start) + 1
            last[key] = revision.number
            changed.append(revision)
    BriefRevision.objects.bulk_update(changed, ["number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0013_serbian_names"),
        ("editorial", "0005_revision_numbers_field"),
    ]

    operations = [migrations.RunPython(number_revisions, migrations.RunPython.noop)]
