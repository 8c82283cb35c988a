from django.apps import AppConfig

from zhibu.core.nav import has_member_record
from zhibu.orgs.roles import Action


class RecordsConfig(AppConfig):
    name = "zhibu.records"
    label = "records"
    verbose_name = "组织生活"
    nav = [
        {"label": "组织生活", "url": "records:index", "action": Action.VIEW, "order": 30},
        {
            "label": "我的活动",
            "url": "records:mine",
            "action": Action.SCHEDULE,
            "order": 91,
            "when": has_member_record,
        },
    ]

    def ready(self) -> None:
        from zhibu.core import hooks

        from . import selectors

        hooks.provide(hooks.ORG_DASHBOARD, selectors.dashboard_activities)
