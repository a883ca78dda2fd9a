from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "kinerja.evaluation"
    verbose_name = "Evaluasi dan pelaporan"

    def ready(self) -> None:
        # What this app holds freezes yearly targets (kinerja.planning.freeze).
        from kinerja.evaluation import freeze
        from kinerja.planning.freeze import register

        register("closed_years", provider=freeze.closed_years)
