from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from zhibu.accounts import services
from zhibu.accounts.models import ApiToken
from zhibu.core.command import ZhibuCommand


class Command(ZhibuCommand):
    help = (
        "API 令牌：zhibu token create 用户名 [--name 用途] [--days 天数] 打印新令牌（只显示一次）；"
        "zhibu token list [用户名] 列出令牌；zhibu token revoke 令牌前缀 撤销令牌。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["create", "list", "revoke"], help="create：创建；list：列出；revoke：撤销"
        )
        parser.add_argument(
            "target", nargs="?", default="", help="用户名（create、list）或令牌前缀（revoke）"
        )
        parser.add_argument("--name", default="", help="令牌用途说明")
        parser.add_argument("--days", type=int, default=None, help="有效天数（默认 ZHIBU_TOKEN_DAYS，90 天）")

    def handle(self, *args, **options):
        action, target = options["action"], options["target"]
        if action == "create":
            if not target:
                raise CommandError("请给出令牌所属的用户名。")
            if options["days"] is not None and not 1 <= options["days"] <= 3650:
                raise CommandError("有效天数应在 1 到 3650 之间。")
            raw = services.token_create(
                actor=None, user=self._user(target), name=options["name"], days=options["days"]
            )
            self.stdout.write(raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
            if target:
                tokens = tokens.filter(user=self._user(target))
            for t in tokens:
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
                self.stdout.write(
                    f"{t.prefix}\t{t.user.username}\t{t.name or '-'}\t创建 {t.created_at:%Y-%m-%d}\t"
                    f"过期 {t.expires_at:%Y-%m-%d}\t{used}\t{t.status}"
                )
        else:
            if not target:
                raise CommandError("请给出要撤销的令牌前缀（zhibu token list 可查）。")
            token = ApiToken.objects.select_related("user").filter(prefix=target).first()
            if token is None:
                raise CommandError(f"没有前缀为 {target} 的令牌。")
            services.token_revoke(actor=self.actor(options), token=token)
            self.stdout.write(f"已撤销令牌 {token.prefix}（{token.user.username}）。")

    def _user(self, username: str):
        user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{username}")
        return user
