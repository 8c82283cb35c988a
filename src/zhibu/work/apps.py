from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "zhibu.work"
    label = "work"
    verbose_name = "工作纪实"
