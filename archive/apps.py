from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site's own AdminSite (the editorial dashboard)."""

    default = False  # "archive" itself stays ArchiveConfig
    default_site = "archive.admin_site.ArchiveAdminSite"
