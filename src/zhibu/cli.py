"""The `zhibu` command: Django's manage command with zhibu's settings preset.

`zhibu import-members …` runs the management command `import_members`; Django's own commands work as well
(`zhibu migrate`, `zhibu runserver`).
"""

from __future__ import annotations

import os
import sys


def _chinese_error(parser, message):
    from zhibu.core.command import ChineseParser  # once Django is set up: parsers are made after that

    return ChineseParser.error(parser, message)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, get_commands
    from django.core.management.base import CommandParser

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand):
            if subcommand not in get_commands():
                sys.stderr.write(f"未知的命令：{subcommand}。运行 zhibu help 查看全部命令。\n")
                sys.exit(1)
            return super().fetch_command(subcommand)

    # Django's own commands (migrate, check, createsuperuser…) answer argument errors in Chinese too.
    CommandParser.error = _chinese_error

    from zhibu.core import system

    system.enter_for_process()  # a command is system work; each web request a server answers leaves it
    args = ["zhibu", *(sys.argv if argv is None else argv)[1:]]  # messages name the command as typed: zhibu …
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    try:
        Utility(args).execute()
    except ImproperlyConfigured as exc:  # a refused setting: its Chinese lines, no traceback
        for line in str(exc).splitlines():
            sys.stderr.write(f"配置错误：{line}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
