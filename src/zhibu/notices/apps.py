from django.apps import AppConfig

from zhibu.orgs.roles import Action


class NoticesConfig(AppConfig):
    name = "zhibu.notices"
    label = "notices"
    verbose_name = "通知"
    nav = [
        {"label": "通知", "url": "notices:index", "action": Action.SCHEDULE, "order": 15},
    ]
