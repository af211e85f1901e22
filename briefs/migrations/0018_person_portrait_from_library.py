import django.db.models.deletion
from django.db import migrations, models


def move_photos(apps, schema_editor):
    """Each person's photo file becomes a library image (re-encoded, with its
    sizes), alt text "Portrait of <name>"; a file that is missing or not an
    image is left where it was and the person keeps no photo."""
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile, File
    from django.core.files.storage import default_storage
    from django.utils.text import slugify

    from library import uploads
    from library.models import new_token

    Person = apps.get_model("briefs", "Person")
    Image = apps.get_model("library", "Image")
    for person in Person.objects.exclude(photo="").exclude(photo__isnull=True):
        try:
            with default_storage.open(person.photo.name, "rb") as handle:
                prepared = uploads.prepare_image(File(handle, name=person.photo.name))
        except (OSError, ValidationError):
            continue
        folder = f"library/{new_token()}"
        master = default_storage.save(
            f"{folder}/original{prepared.extension}", ContentFile(prepared.content)
        )
        sizes = []
        for width, height, content in uploads.renditions(prepared.content):
            name = default_storage.save(f"{folder}/{width}w.webp", ContentFile(content))
            sizes.append({"width": width, "height": height, "name": name})
        slug = f"portrait-{slugify(person.slug)[:80]}-{person.pk}"
        person.portrait = Image.objects.create(
            slug=slug,
            title=f"Portrait of {person.name}",
            alt=f"Portrait of {person.name}",
            file=master,
            width=prepared.width,
            height=prepared.height,
            renditions=sizes,
        )
        person.save(update_fields=["portrait"])


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0017_cover_and_attachments"),
        ("library", "0001_media_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="portrait",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="library.image",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(move_photos, migrations.RunPython.noop),
        migrations.RemoveField(model_name="person", name="photo"),
    ]
