from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "zhibu.people"
    label = "people"
    verbose_name = "党员"
