from django.apps import AppConfig

from zhibu.orgs.roles import Action


class ReportsConfig(AppConfig):
    name = "zhibu.reports"
    label = "reports"
    verbose_name = "述职报告"
    nav = [
        {"label": "述职报告", "url": "reports:index", "action": Action.VIEW, "order": 70},
    ]
