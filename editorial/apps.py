from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EditorialConfig(AppConfig):
    """How content changes: workflow, revisions, checks, comments, the admin."""

    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        from briefs.hooks import brief_imported
        from editorial.revisions import record_imported_revision

        # An import is an edit like any other: it gets a revision.
        brief_imported.connect(
            record_imported_revision, dispatch_uid="editorial_brief_imported"
        )


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site's own AdminSite (the editorial dashboard)."""

    default = False  # "editorial" itself stays EditorialConfig
    default_site = "editorial.admin_site.ArchiveAdminSite"
