"""`zhibu worker`: run the background tasks — django-tasks-db's worker on the database queue (the default), or
an RQ worker when ZHIBU_TASKS=redis. `--batch` runs what is queued and exits (cron, tests)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibu.core.command import ChineseCommand


class Command(ChineseCommand):
    help = "运行后台任务进程（数据库队列或 Redis 队列，由 ZHIBU_TASKS 决定）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完队列中现有的任务后退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="最多处理这么多个任务后退出")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时多少秒查看一次（数据库队列）"
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        if settings.TASKS_MODE == "database":
            argv = [
                "--queue-name",
                "*",
                "--interval",
                str(options["interval"]),
                "--no-reload",
                "--no-startup-delay",
            ]
            if options["batch"]:
                argv.append("--batch")
            if options["max_tasks"]:
                argv += ["--max-tasks", str(options["max_tasks"])]
            call_command("db_worker", *argv, verbosity=verbosity)
        elif settings.TASKS_MODE == "redis":
            argv = ["default", "--job-class", "django_tasks_rq.backend.Job"]
            if options["batch"]:
                argv.append("--burst")
            if options["max_tasks"]:
                argv += ["--max-jobs", str(options["max_tasks"])]
            call_command("rqworker", *argv, verbosity=verbosity)
        else:
            raise CommandError(
                f"ZHIBU_TASKS={settings.TASKS_MODE} 时任务在发起处直接执行，不需要 zhibu worker。"
            )
