from django.apps import AppConfig


class KernelConfig(AppConfig):
    """Site-wide plumbing that apps import and that imports no app.

    API base classes, authentication and throttling, the OpenAPI schema class,
    the page cache and its content generation, and partner API keys.
    """

    name = "kernel"
    # The admin groups API keys under "Archive", as before they moved here.
    verbose_name = "Archive"
