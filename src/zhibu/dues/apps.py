from django.apps import AppConfig

from zhibu.orgs.roles import Action


class DuesConfig(AppConfig):
    name = "zhibu.dues"
    label = "dues"
    verbose_name = "党费"
    nav = [
        {"label": "党费", "url": "dues:index", "action": Action.VIEW, "order": 85},
        {"label": "组织关系", "url": "dues:transfers_index", "action": Action.VIEW, "order": 86},
    ]
