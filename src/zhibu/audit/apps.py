from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhibu.audit"
    label = "audit"
    verbose_name = "审计"

    @property
    def nav(self):
        from zhibu.orgs.roles import Action

        return [{"label": "审计", "url": "audit:index", "action": Action.AUDIT, "order": 99}]
