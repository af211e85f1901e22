from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self) -> None:
        # Cache invalidation for prepared brief pages and the page cache.
        from briefs import search, signals  # noqa: F401
        from briefs.models import Brief
        from kernel import pagecache

        # The page cache's generation turns when a scheduled brief goes public.
        pagecache.register_release_source(Brief.objects.next_release_at)
        search.register(self)

        from briefs.hooks import provide_preview
        from briefs.views import render_brief_preview

        provide_preview(render_brief_preview)
