from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = "Languages and scripts"

    def ready(self) -> None:
        from kernel import changes
        from languages.models import ScriptException
        from languages.transliteration import forget_house_exceptions

        # An exception changes how every Cyrillic text reads: the after-commit
        # step drops the cached list and retires every cached page.
        changes.record_on_save(
            ScriptException, "script_exception", lambda exception: [exception.pk]
        )
        changes.register("script_exception", forget_house_exceptions)
