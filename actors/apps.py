from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Actors and agreements"

    def ready(self) -> None:
        from actors import search

        search.register(self)
