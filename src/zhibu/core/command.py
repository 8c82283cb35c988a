"""Base for zhibu's management commands: Chinese errors on stderr, a non-zero exit, and an explicit scope.

`--user NAME` runs the command with that user's scope; without it the command runs as the system actor over
the whole tree (the operator of the server). Either way every query goes through scoping.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from zhibu.orgs import scoping


class ZhibuCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--user", dest="as_user", default=None, help="以该用户的权限范围运行")
        return parser

    def actor(self, options):
        name = options.get("as_user")
        if not name:
            return scoping.SYSTEM
        user = get_user_model()._default_manager.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{name}")
        return user

    def org(self, options, code: str, action: str):
        try:
            return scoping.get_org(self.actor(options), action, code)
        except Http404 as exc:
            raise CommandError(f"党组织不存在或无权访问：{code}") from exc

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except Http404 as exc:
            raise CommandError("对象不存在或无权访问。") from exc
