from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinerja.core"
    label = "core"
    verbose_name = "Kinerja core"

    def ready(self) -> None:
        from kinerja.core.distribution import colocate_joins

        colocate_joins()
