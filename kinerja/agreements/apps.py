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

        # A Perjanjian Kinerja is signed on its own page (kinerja.documents.routes).
        from kinerja.agreements.views import sign_page_of
        from kinerja.documents.models import Document
        from kinerja.documents.routes import register_sign_page

        register_sign_page(Document.Kind.AGREEMENT, sign_page_of)
