"""The `zhibu` command: Django's manage command with zhibu's settings preset.

`zhibu import-members …` runs the management command `import_members`; Django's own commands work as well
(`zhibu migrate`, `zhibu runserver`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:  # a refused setting: its Chinese lines, no traceback
        for line in str(exc).splitlines():
            sys.stderr.write(f"配置错误：{line}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
