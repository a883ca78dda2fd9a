from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "kinerja.agreements"
    label = "agreements"
    verbose_name = "Perjanjian Kinerja"

    def ready(self) -> None:
        # What this app holds freezes yearly targets (kinerja.planning.freeze).
        from kinerja.agreements import freeze
        from kinerja.planning.freeze import register

        register("agreements", provider=freeze.signed_agreements, opener=freeze.open_revisions)
