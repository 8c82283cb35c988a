from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhibu.records"
    label = "records"
    verbose_name = "组织生活"
