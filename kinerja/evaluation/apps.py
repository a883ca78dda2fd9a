from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "kinerja.evaluation"
    verbose_name = "Evaluasi dan pelaporan"
