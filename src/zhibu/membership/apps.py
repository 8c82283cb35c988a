from django.apps import AppConfig

from zhibu.orgs.roles import Action


class MembershipConfig(AppConfig):
    """组织关系转接 and the member watch (失联, 流动党员, the six-month counters). Split from the dues app, whose
    paths it keeps: its pages sit under /dues/ and its API under /api/v1/dues/, as before."""

    name = "zhibu.membership"
    label = "membership"
    verbose_name = "组织关系"
    url_prefix = "dues/"
    api_prefix = "/dues"
    nav = [
        {"label": "组织关系", "url": "membership:transfers_index", "action": Action.VIEW, "order": 86},
    ]

    def ready(self) -> None:
        from zhibu.core import hooks

        from . import transfers, views

        hooks.provide(hooks.MEMBERS_LEAVING, transfers.leaving_member_ids)
        hooks.provide(hooks.DUES_MEMBER_PANELS, views.member_panels)
