from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What the public sees: pages, feeds, sitemap, OAI-PMH, citations, PDF,
    exports and the briefs API. No models yet."""

    name = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        # Cache invalidation for prepared pages and the page cache.
        from briefs.hooks import provide_preview
        from publishing import signals  # noqa: F401
        from publishing.views import render_brief_preview

        # The admin's preview (editorial) renders a brief as its public page.
        provide_preview(render_brief_preview)
