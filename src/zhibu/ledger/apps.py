from django.apps import AppConfig

from zhibu.orgs.roles import Action


class LedgerConfig(AppConfig):
    name = "zhibu.ledger"
    label = "ledger"
    verbose_name = "台账与报表"
    nav = [
        {"label": "台账报表", "url": "ledger:index", "action": Action.VIEW, "order": 88},
    ]
