from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhibu.reports"
    label = "reports"
    verbose_name = "述职报告"
