from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page that says what to do this week, gathered from every app (so it sits above them all)."""

    name = "zhibu.home"
    label = "home"
    verbose_name = "首页"
    url_prefix = "home/"
