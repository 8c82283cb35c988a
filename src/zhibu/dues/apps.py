from django.apps import AppConfig

from zhibu.core.nav import has_member_record
from zhibu.orgs.roles import Action


class DuesConfig(AppConfig):
    name = "zhibu.dues"
    label = "dues"
    verbose_name = "党费"
    nav = [
        {"label": "党费", "url": "dues:index", "action": Action.VIEW, "order": 85},
        {
            "label": "我的党费",
            "url": "dues:mine",
            "action": Action.SCHEDULE,
            "order": 92,
            "when": has_member_record,
        },
    ]
