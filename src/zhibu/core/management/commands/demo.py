from django.conf import settings

from zhibu import demo
from zhibu.core.command import ZhibuCommand


class Command(ZhibuCommand):
    help = "生成演示数据（区教体局党委及其学校党支部，卧龙山街道中心幼儿园党支部 2022 年的组织生活）。重复运行不会重复生成。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="演示服务器的监听地址（主机:端口），用于提示登录网址；`make demo` 按 DEMO_PORT 传入",
        )

    def handle(self, *args, **options):
        if demo.exists():
            self.stdout.write("演示数据已存在，未重复生成。")
        else:
            ctx = demo.build()
            self.stdout.write(self.style.SUCCESS("演示数据已生成。"))
            for line in ctx.notes:
                self.stdout.write(line)
        self.stdout.write(
            f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：\n"
            "  secretary  卧龙山街道中心幼儿园党支部书记\n"
            "  district   区教体局党委 上级管理员\n"
            "  member     卧龙山街道中心幼儿园党支部 党员\n"
            "  auditor    区教体局党委 审计管理员\n"
            f"访问 http://{options['address']} 登录。"
        )
        if settings.PRODUCTION:
            self.stdout.write("生产环境：演示账号的密码是公开的，首次登录时必须先修改密码。")
