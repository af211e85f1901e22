"""The editorial roles' rights on the house's transliteration exceptions.

Editors and Publishers add and change them (how EULEX or Microsoft is
written in Cyrillic); Contributors may read them. Deleting one is left to
superusers: a word taken off the list changes every Cyrillic text that has it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITE = [f"languages.{verb}_scriptexception" for verb in ["add", "change", "view"]]
GROUPS = {
    "Contributor": ["languages.view_scriptexception"],
    "Editor": WRITE,
    "Publisher": WRITE,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("languages")
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
                Permission.objects.get(content_type__app_label=app, codename=codename)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    codenames = {perm.split(".")[1] for perms in GROUPS.values() for perm in perms}
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="languages", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0015_licence_as_the_source_states"),
        ("languages", "0001_script_exception"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
