from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from briefs import lifecycle
        from publishing import editions

        lifecycle.register(editions.KEEPER)
