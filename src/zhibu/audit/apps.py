from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhibu.audit"
    label = "audit"
    verbose_name = "审计"

    @property
    def nav(self):
        from zhibu.orgs.roles import Action

        return [{"label": "审计", "url": "audit:index", "action": Action.AUDIT, "order": 99}]

    def ready(self) -> None:
        from zhibu.core import hooks

        from . import services

        hooks.provide(hooks.AUDIT_LOG, services.log)
