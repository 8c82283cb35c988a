from django.apps import AppConfig

from zhibu.core.nav import has_member_record
from zhibu.orgs.roles import Action


class LedgerConfig(AppConfig):
    name = "zhibu.ledger"
    label = "ledger"
    verbose_name = "台账与报表"
    nav = [
        {"label": "台账报表", "url": "ledger:index", "action": Action.VIEW, "order": 88},
        {
            "label": "我的档案",
            "url": "ledger:mine",
            "action": Action.SCHEDULE,
            "order": 93,
            "when": has_member_record,
        },
    ]
