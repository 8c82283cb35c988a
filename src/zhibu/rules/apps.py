from django.apps import AppConfig

from zhibu.core import events
from zhibu.orgs.roles import Action


class RulesConfig(AppConfig):
    name = "zhibu.rules"
    label = "rules"
    verbose_name = "亮灯与制度"
    nav = [{"label": "亮灯", "url": "rules:index", "action": Action.VIEW, "order": 40}]

    def ready(self) -> None:
        """Only this app maintains stored lights: it follows the records' and the roster's announcements."""
        from . import services

        events.subscribe(events.RECORDS, services.on_records_changed)
        events.subscribe(events.ROSTER, services.on_roster_changed)
        events.subscribe(events.CALENDAR, services.on_calendar_changed)
