from django.apps import AppConfig


class EmployeesConfig(AppConfig):
    name = "kinerja.employees"
    verbose_name = "Kinerja pegawai"
