from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from zhibu.accounts import services
from zhibu.core.command import ZhibuCommand


class Command(ZhibuCommand):
    help = "API 令牌：zhibu token create 用户名 [--name 用途]，打印新令牌（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"], help="create：创建令牌")
        parser.add_argument("username", help="令牌所属用户")
        parser.add_argument("--name", default="", help="令牌用途说明")

    def handle(self, *args, **options):
        user = get_user_model()._default_manager.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{options['username']}")
        raw = services.token_create(actor=None, user=user, name=options["name"])
        self.stdout.write(raw)
