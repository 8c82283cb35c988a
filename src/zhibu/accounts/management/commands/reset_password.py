from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from zhibu.accounts import services
from zhibu.core.command import ZhibuCommand


class Command(ZhibuCommand):
    help = "重置密码：zhibu reset-password 用户名，打印新的初始密码（只显示一次，登录后须修改），并解除登录延迟。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="要重置密码的用户名")

    def handle(self, *args, **options):
        user = get_user_model()._default_manager.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        self.stdout.write(services.password_reset(actor=self.actor(options), user=user))
