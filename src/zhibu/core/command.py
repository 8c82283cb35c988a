"""Base for zhibu's management commands: Chinese errors on stderr, a non-zero exit, and an explicit scope.

`--user NAME` runs the command with that user's scope; without it the command runs as the system actor over
the whole tree (the operator of the server). Either way every query goes through scoping.

Argument errors (argparse's English messages) and file errors (an unwritable `-o`, a missing input) end in one
Chinese line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    SystemCheckError,
    handle_default_options,
)
from django.db import connections
from django.http import Http404

from . import access

_ARGPARSE = [
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)"),
        "参数 {0} 的取值“{1}”无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"argument (\S+): expected (.+) arguments?"), "参数 {0} 的值个数不对"),
    (re.compile(r"argument (\S+): invalid (\S+) value: '?([^']*)'?"), "参数 {0} 的值“{2}”格式不对"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (re.compile(r"ambiguous option: (\S+)"), "参数 {0} 有歧义"),
]

_OS_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有读写权限",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
}


def argparse_message(message: str) -> str:
    """argparse's English message in Chinese (the parameters kept as typed)."""
    for pattern, template in _ARGPARSE:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return f"参数有误：{message}"


def os_message(exc: OSError) -> str:
    reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or "操作系统错误")
    name = exc.filename if exc.filename is not None else ""
    return f"无法读写文件 {name}：{reason}。" if name else f"文件操作失败：{reason}。"


class ChineseParser(CommandParser):
    def error(self, message):
        text = argparse_message(message)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}：错误：{text}\n")
        raise CommandError(text)


def _chinese(parser: argparse.ArgumentParser) -> None:
    """Django builds a plain CommandParser; give it (and any subcommand parsers) the Chinese error()."""
    parser.__class__ = ChineseParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.called_from_command_line = parser.called_from_command_line
                _chinese(sub)


@contextmanager
def open_output(path: str, stdout, *, binary: bool = False) -> Iterator[IO]:
    """Open `path` for writing ("-" is the command's stdout); an OSError becomes a Chinese CommandError."""
    if path == "-":
        yield stdout
        return
    try:
        handle = open(path, "wb") if binary else open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise CommandError(os_message(exc)) from exc
    with handle:
        yield handle


class ChineseCommand(BaseCommand):
    """A command whose argument and file errors are one Chinese line (`zhibu NAME：错误：…`) and a non-zero exit:
    the base of every zhibu command, including those that act on the server rather than on data (backup, serve)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        self.add_scope_argument(parser)
        _chinese(parser)
        return parser

    def add_scope_argument(self, parser) -> None:
        pass

    def run_from_argv(self, argv):
        # Django's own, except that an error is printed as `zhibu NAME：错误：…` rather than `CommandError: …`.
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            if isinstance(exc, SystemCheckError):
                self.stderr.write(str(exc), lambda x: x)
            else:
                self.stderr.write(f"{parser.prog}：错误：{exc}")
            sys.exit(exc.returncode)
        finally:
            try:
                connections.close_all()
            except ImproperlyConfigured:
                pass

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        except Http404 as exc:
            raise CommandError("对象不存在或无权访问。") from exc
        except OSError as exc:
            raise CommandError(os_message(exc)) from exc


class ZhibuCommand(ChineseCommand):
    """A command on the data: `--user NAME` runs it in that user's scope (default: the system actor)."""

    def add_scope_argument(self, parser) -> None:
        parser.add_argument("--user", dest="as_user", default=None, help="以该用户的权限范围运行")

    def actor(self, options):
        name = options.get("as_user")
        if not name:
            return access.scoping().SYSTEM
        user = get_user_model()._default_manager.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用：{name}")
        return user

    def org(self, options, code: str, action: str):
        try:
            return access.scoping().get_org(self.actor(options), action, code)
        except Http404 as exc:
            raise CommandError(f"党组织不存在或无权访问：{code}") from exc
