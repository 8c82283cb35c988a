from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhibu.orgs"
    label = "orgs"
    verbose_name = "组织"
    url_prefix = "org/"

    def ready(self) -> None:
        from zhibu.core import access

        from . import scoping

        access.install(
            scoping
        )  # core's managers, navigation and command base ask the rules through core.access

    @property
    def nav(self):
        from .roles import Action

        return [{"label": "组织", "url": "orgs:index", "action": Action.VIEW, "order": 10}]
