from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "zhibu.people"
    label = "people"
    verbose_name = "党员"

    @property
    def nav(self):
        from zhibu.core.nav import has_member_record
        from zhibu.orgs.roles import Action

        return [
            {"label": "党员", "url": "people:index", "action": Action.VIEW, "order": 20},
            {
                "label": "我的信息",
                "url": "people:me",
                "action": Action.SCHEDULE,
                "order": 90,
                "when": has_member_record,
            },
        ]

    def ready(self) -> None:
        from zhibu.core import hooks
        from zhibu.orgs import roster

        from . import for_orgs

        roster.register(for_orgs)
        hooks.provide(hooks.ORG_DASHBOARD, for_orgs.dashboard_counts)
