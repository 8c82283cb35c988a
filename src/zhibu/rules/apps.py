from django.apps import AppConfig

from zhibu.orgs.roles import Action


class RulesConfig(AppConfig):
    name = "zhibu.rules"
    label = "rules"
    verbose_name = "亮灯与制度"
    nav = [{"label": "亮灯", "url": "rules:index", "action": Action.VIEW, "order": 40}]
