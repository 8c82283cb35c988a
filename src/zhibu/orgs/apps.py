from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhibu.orgs"
    label = "orgs"
    verbose_name = "组织"
    url_prefix = "org/"

    @property
    def nav(self):
        from .roles import Action

        return [{"label": "组织", "url": "orgs:index", "action": Action.VIEW, "order": 10}]
