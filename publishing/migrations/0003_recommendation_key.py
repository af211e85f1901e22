"""Editions learn each recommendation's identity (briefs 0010 gave it).

Snapshots gain a "key" per recommendation, and the link rows a `key` column:
the recommendation's own key when its row still exists, else that of the
live recommendation with the same number, else a new one (a recommendation
no brief makes any more: nothing is assessed against it).
"""

import uuid

from django.db import migrations, models


def add_keys(apps, schema_editor):
    db = schema_editor.connection.alias
    Recommendation = apps.get_model("briefs", "Recommendation")
    Edition = apps.get_model("publishing", "Edition")
    EditionRecommendation = apps.get_model("publishing", "EditionRecommendation")
    by_id = dict(Recommendation.objects.using(db).values_list("pk", "key"))
    by_number = {
        (brief_id, order): key
        for brief_id, order, key in Recommendation.objects.using(db)
        .filter(brief__draft_of__isnull=True)
        .values_list("brief_id", "order", "key")
    }
    for edition in Edition.objects.using(db).only("pk", "brief_id", "content"):
        recommendations = edition.content.get("recommendations", [])
        for r in recommendations:
            if r.get("key"):
                continue
            key = (
                by_id.get(r.get("id"))
                or by_number.get((edition.brief_id, r["order"]))
                or uuid.uuid4()
            )
            r["key"] = str(key)
        Edition.objects.using(db).filter(pk=edition.pk).update(content=edition.content)
        for r in recommendations:
            EditionRecommendation.objects.using(db).filter(
                edition_id=edition.pk, order=r["order"]
            ).update(key=r["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0011_recommendation_tracker"),
        ("publishing", "0002_recommendation_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="editionrecommendation",
            name="key",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(add_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="editionrecommendation",
            name="key",
            field=models.UUIDField(),
        ),
        migrations.AddIndex(
            model_name="editionrecommendation",
            index=models.Index(fields=["key"], name="editionrecommendation_key"),
        ),
    ]
