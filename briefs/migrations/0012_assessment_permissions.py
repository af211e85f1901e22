"""The editorial roles' rights on assessments of recommendations.

Editors write and review them (add, change, view, delete drafts, their
evidence, their history); Publishers also publish them. Contributors may
read them. Who may publish which one (two pairs of eyes) is decided by
editorial/assessments.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITE = [
    f"{app}.{verb}_{model}"
    for app, model in [("briefs", "assessment"), ("briefs", "assessmentsource")]
    for verb in ["add", "change", "view", "delete"]
] + ["editorial.view_assessmentrevision"]
GROUPS = {
    "Contributor": ["briefs.view_assessment", "briefs.view_assessmentsource"],
    "Editor": WRITE,
    "Publisher": [*WRITE, "briefs.publish_assessment"],
}


def grant(apps, schema_editor):
    for label in ["briefs", "editorial"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for perm in perms:
            app, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0011_recommendation_tracker"),
        ("briefs", "0004_editorial_groups"),
        ("editorial", "0004_assessment_revisions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
