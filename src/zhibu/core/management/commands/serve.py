"""`zhibu serve`: the production server — collect the static files, then run gunicorn.

Environment: ZHIBU_BIND (default 127.0.0.1:8000), ZHIBU_WORKERS (default 2 × cores + 1, at most 12),
ZHIBU_TIMEOUT (seconds a request may take, default 60). Options given on the command line win.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management.base import CommandError

from zhibu.core.command import ChineseCommand

MAX_DEFAULT_WORKERS = 12


def default_workers(cores: int | None = None) -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, capped: more processes than that only share the same CPUs."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


def _positive(name: str, raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise CommandError(f"{name} 必须是正整数，收到：{raw}")
    return value


def gunicorn_argv(
    *,
    bind: str | None = None,
    workers: str | None = None,
    timeout: str | None = None,
    environ: dict[str, str] | None = None,
) -> list[str]:
    env = os.environ if environ is None else environ
    bind = bind or env.get("ZHIBU_BIND") or "127.0.0.1:8000"
    count = _positive("ZHIBU_WORKERS", workers or env.get("ZHIBU_WORKERS"), default_workers())
    seconds = _positive("ZHIBU_TIMEOUT", timeout or env.get("ZHIBU_TIMEOUT"), 60)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "zhibu.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(count),
        "--timeout",
        str(seconds),
        "--graceful-timeout",
        "30",
        # Load the application once and fork the workers from it (zhibu.wsgi warms views and templates).
        "--preload",
        # Recycle a worker now and then so that a slow leak never grows without bound.
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--forwarded-allow-ips",
        env.get("ZHIBU_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "--error-logfile",
        "-",
    ]


class Command(ChineseCommand):
    help = "运行生产服务器（gunicorn）：先收集静态文件，再按环境变量启动工作进程。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", help="监听地址，默认 ZHIBU_BIND 或 127.0.0.1:8000")
        parser.add_argument("--workers", help="工作进程数，默认 ZHIBU_WORKERS 或 2×CPU核数+1（最多 12）")
        parser.add_argument("--timeout", help="单个请求最长秒数，默认 ZHIBU_TIMEOUT 或 60")
        parser.add_argument("--no-collectstatic", action="store_true", help="跳过收集静态文件（已收集时）")

    def handle(self, *args, **options):
        argv = gunicorn_argv(bind=options["bind"], workers=options["workers"], timeout=options["timeout"])
        if not options["no_collectstatic"]:
            # Collect with the manifest storage in a fresh process: this one's settings were read without it.
            done = subprocess.run(
                [sys.executable, "-m", "zhibu.cli", "collectstatic", "--noinput", "-v0"],
                env={**os.environ, "ZHIBU_STATIC_MANIFEST": "true"},
                check=False,
            )
            if done.returncode != 0:
                raise CommandError("收集静态文件失败，服务器未启动。")
        os.environ["ZHIBU_STATIC_MANIFEST"] = "true"
        self.stdout.write(f"zhibu serve: gunicorn {' '.join(argv[4:8])}")
        self.stdout.flush()
        os.execve(sys.executable, argv, dict(os.environ))
