from django.apps import AppConfig

from zhibu.orgs.roles import Action


class StudyConfig(AppConfig):
    name = "zhibu.study"
    label = "study"
    verbose_name = "学习"
    nav = [{"label": "学习", "url": "study:index", "action": Action.SCHEDULE, "order": 50}]
