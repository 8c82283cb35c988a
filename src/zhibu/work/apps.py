from django.apps import AppConfig

from zhibu.orgs.roles import Action


class WorkConfig(AppConfig):
    name = "zhibu.work"
    label = "work"
    verbose_name = "工作纪实"
    nav = [{"label": "工作纪实", "url": "work:index", "action": Action.VIEW, "order": 60}]
