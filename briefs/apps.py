from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self) -> None:
        # Cache invalidation for prepared brief pages and the page cache.
        from briefs import signals  # noqa: F401
