from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"

    def ready(self) -> None:
        from briefs import search
        from briefs.models import Brief
        from kernel import pagecache

        # The page cache's generation turns when a scheduled brief goes public.
        pagecache.register_release_source(Brief.objects.next_release_at)
        search.register(self)
