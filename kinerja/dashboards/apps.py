from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "kinerja.dashboards"
    verbose_name = "Dasbor dan portal publik"
