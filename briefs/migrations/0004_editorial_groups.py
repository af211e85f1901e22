"""The three editorial roles as groups (issue 3).

Contributor writes and submits own briefs; Editor sees and edits every brief,
comments, requests changes and approves; Publisher publishes, schedules,
withdraws and publishes corrections. None of them gets any permission on users
or groups: only superusers manage those. Object-level rules (own drafts only,
which state allows which move) live in briefs/workflow.py; these are the
model-level permissions it starts from.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Needed by every role: the brief, its inline parts, and read access to what
# the admin's autocomplete widgets search.
BRIEF_WORK = [
    "briefs.add_brief",
    "briefs.change_brief",
    "briefs.view_brief",
    "briefs.delete_brief",
    "briefs.submit_brief",
    *(
        f"briefs.{verb}_{model}"
        for model in ["contribution", "recommendation", "briefactor", "briefagreement"]
        for verb in ["add", "change", "view", "delete"]
    ),
    *(
        f"{app}.view_{model}"
        for app, model in [
            ("briefs", "person"),
            ("briefs", "institution"),
            ("briefs", "topic"),
            ("actors", "actor"),
            ("actors", "agreement"),
        ]
    ),
    "briefs.add_person",
]
# Editors and publishers keep the reference data (people, actors, agreements) too.
REFERENCE_WORK = [
    f"{app}.{verb}_{model}"
    for app, models in [
        ("briefs", ["person", "institution", "topic", "correction"]),
        (
            "actors",
            [
                "actor",
                "actoralias",
                "membership",
                "office",
                "agreement",
                "agreementparty",
                "agreementsource",
                "indicator",
            ],
        ),
    ]
    for model in models
    for verb in ["add", "change", "view"]
]

GROUPS = {
    "Contributor": BRIEF_WORK,
    "Editor": [
        *BRIEF_WORK,
        *REFERENCE_WORK,
        "briefs.edit_any_brief",
        "briefs.review_brief",
    ],
    "Publisher": [
        *BRIEF_WORK,
        *REFERENCE_WORK,
        "briefs.edit_any_brief",
        "briefs.publish_brief",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after `migrate` finishes; create them
    # now so that a fresh database gets complete groups in one run.
    for label in ["auth", "contenttypes", "actors", "briefs"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = {tuple(perm.split(".")) for perm in perms}
        found = [
            permission
            for permission in Permission.objects.filter(
                content_type__app_label__in=["actors", "briefs"]
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*found)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("actors", "0001_initial"),
        ("briefs", "0003_workflow"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
