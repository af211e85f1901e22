"""The editorial roles' rights on the media library and attachments.

Everyone who writes briefs uploads images and attaches files (a Contributor
adds a figure to their own draft); deleting a library image, which other
briefs may show, is left to Editors and Publishers (and an image still used
as a cover is protected by the database).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITE = [
    "library.add_image",
    "library.change_image",
    "library.view_image",
    "briefs.add_attachment",
    "briefs.change_attachment",
    "briefs.delete_attachment",
    "briefs.view_attachment",
]
GROUPS = {
    "Contributor": WRITE,
    "Editor": [*WRITE, "library.delete_image"],
    "Publisher": [*WRITE, "library.delete_image"],
}


def grant(apps, schema_editor):
    for label in ("library", "briefs"):
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
                Permission.objects.get(content_type__app_label=app, codename=codename)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        for perm in GROUPS[group.name]:
            app, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0018_person_portrait_from_library"),
        ("library", "0001_media_library"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
