from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What the public sees: editions, and every surface that reads them (pages,
    feeds, sitemap, OAI-PMH, citations, PDF, exports, the briefs API)."""

    name = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from briefs.hooks import provide_preview, register
        from kernel import pagecache
        from publishing import changes, editions, pictures, search
        from publishing.models import Edition
        from publishing.views import render_brief_preview

        # The workflow's publications, withdrawals... build and keep editions.
        register(editions.KEEPER)
        search.register(self)
        # After a commit that changed actors, their pages are prepared again.
        changes.register()
        # The page cache's generation turns when a scheduled edition goes public.
        pagecache.register_release_source(Edition.objects.next_release_at)
        # ... and at midnight, when pages that show today change by themselves.
        pagecache.register_release_source(pictures.next_midnight)

        # The admin's preview (editorial) renders a brief as its public page.
        provide_preview(render_brief_preview)
