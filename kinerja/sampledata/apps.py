from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    """The demo city and the synthetic generator: the top floor, which nothing imports."""

    name = "kinerja.sampledata"
    label = "sampledata"
    verbose_name = "Kinerja sample data"
