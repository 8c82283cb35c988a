from django.apps import AppConfig

from zhibu.orgs.roles import Action


class DevelopmentConfig(AppConfig):
    name = "zhibu.development"
    label = "development"
    verbose_name = "发展党员"
    nav = [{"label": "发展党员", "url": "development:index", "action": Action.VIEW, "order": 80}]
