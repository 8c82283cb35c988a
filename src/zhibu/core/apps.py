from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhibu.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers zhibu.E001 and zhibu.E002)
        from .middleware import seen_at_login

        user_logged_in.connect(seen_at_login, dispatch_uid="zhibu.core.seen_at_login")
