from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = "Languages and scripts"

    def ready(self) -> None:
        from kernel import changes, negotiation
        from languages import codes
        from languages.models import ScriptException
        from languages.transliteration import forget_house_exceptions

        # An exception changes how every Cyrillic text reads: the after-commit
        # step drops the cached list and retires every cached page.
        changes.record_on_save(
            ScriptException, "script_exception", lambda exception: [exception.pk]
        )
        changes.register("script_exception", forget_house_exceptions)

        # The partner API answers in the language a client asks for.
        negotiation.register(
            negotiation.Negotiator(
                from_parameter=codes.requested_language,
                from_header=codes.accepted_language,
                tag=lambda code: codes.PUBLIC_LANGUAGES[code].tag,
                choices=(
                    *codes.PUBLIC_LANGUAGES,
                    *(
                        language.tag
                        for language in codes.PUBLIC_LANGUAGES.values()
                        if language.tag not in codes.PUBLIC_LANGUAGES
                    ),
                ),
                hint="Use en (English), sr (Serbian, Cyrillic) or sr-latn "
                "(Serbian, Latin); sr-Cyrl and sr-Latn are accepted too.",
            )
        )
