from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "zhibu.rules"
    label = "rules"
    verbose_name = "亮灯与制度"
