from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content and the load_demo command; no models, nothing imports it."""

    name = "demo"
    verbose_name = "Demo content"
