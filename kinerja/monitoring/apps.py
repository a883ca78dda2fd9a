from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
    verbose_name = "Pemantauan kinerja"

    def ready(self) -> None:
        # What this app holds freezes yearly targets (kinerja.planning.freeze).
        from kinerja.monitoring import freeze
        from kinerja.planning.freeze import register

        register("realisations", provider=freeze.verified_realisations)

        # Every change of a figure or of the plan marks what it touches (figures.py).
        from kinerja.monitoring import signals

        signals.connect()
