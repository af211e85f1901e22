from django.apps import AppConfig


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = "Languages and scripts"

    def ready(self) -> None:
        from kernel import negotiation
        from languages import codes

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
