"""Production refuses weak settings with one Chinese line each; `check --deploy` passes with good ones; CLI
errors are Chinese with a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STRONG = "Xy7#mQ2!pL9@vB4&kR8$wN3^tF6*hJ1%zD5"  # 36 characters, many distinct


def _zhibu(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    # The browser fixtures set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    skip = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_") and k not in skip}
    base.update(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", "ZHIBU_VAR_DIR": str(tmp_path)}, **env
    )
    return subprocess.run(
        [str(Path(sys.executable).with_name("zhibu")), *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=tmp_path,
        timeout=120,
    )


def _production(**overrides: str) -> dict[str, str]:
    env = {
        "ZHIBU_ENV": "production",
        "ZHIBU_SECRET_KEY": STRONG + STRONG,
        "ZHIBU_DATA_KEY": STRONG,
        "ZHIBU_ALLOWED_HOSTS": "zhibu.example.cn",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.mark.parametrize(
    "overrides, line",
    [
        (
            {"ZHIBU_DATA_KEY": "abc"},
            "配置错误：生产环境必须设置 ZHIBU_DATA_KEY，至少 32 个字符，不能使用默认密钥。",
        ),
        (
            {"ZHIBU_SECRET_KEY": None},
            "配置错误：生产环境必须设置 ZHIBU_SECRET_KEY，至少 32 个字符，不能使用默认密钥。",
        ),
        ({"ZHIBU_DEBUG": "1"}, "配置错误：生产环境不能开启调试模式（ZHIBU_DEBUG）。"),
        (
            {"ZHIBU_COOKIE_SECURE": "0"},
            "配置错误：生产环境的 Cookie 必须只经 HTTPS 发送（不能设置 ZHIBU_COOKIE_SECURE=0）。",
        ),
        (
            {"ZHIBU_ALLOWED_HOSTS": None},
            "配置错误：生产环境必须设置 ZHIBU_ALLOWED_HOSTS（本系统的域名，逗号分隔）。",
        ),
        (
            {"ZHIBU_DATA_KEY_OLD": "short"},
            "配置错误：生产环境必须设置 ZHIBU_DATA_KEY_OLD，至少 32 个字符，不能使用默认密钥。",
        ),
    ],
)
def test_production_refuses_a_weak_setting_with_one_chinese_line(tmp_path, overrides, line):
    result = _zhibu("check", tmp_path=tmp_path, **_production(**overrides))
    assert result.returncode == 2
    assert result.stderr == line + "\n"
    assert result.stdout == ""


def test_production_lists_every_problem_each_on_its_line(tmp_path):
    result = _zhibu("check", tmp_path=tmp_path, ZHIBU_ENV="production", ZHIBU_DATA_KEY="abc")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "配置错误：生产环境必须设置 ZHIBU_SECRET_KEY，至少 32 个字符，不能使用默认密钥。",
        "配置错误：生产环境必须设置 ZHIBU_DATA_KEY，至少 32 个字符，不能使用默认密钥。",
        "配置错误：生产环境必须设置 ZHIBU_ALLOWED_HOSTS（本系统的域名，逗号分隔）。",
    ]


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _zhibu("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **_production())
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_an_argparse_error_is_chinese_with_exit_2(tmp_path):
    result = _zhibu("token", "bogus", "someone", tmp_path=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.splitlines()[-1]
        == "zhibu token：错误：参数 action 的取值“bogus”无效，可选：'create', 'list', 'revoke'"
    )
    assert "Traceback" not in result.stderr


def test_a_missing_argument_is_chinese(tmp_path):
    result = _zhibu("audit", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "zhibu audit：错误：缺少必需的参数：action"


def test_an_unwritable_output_is_one_chinese_line(tmp_path):
    assert _zhibu("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    result = _zhibu("audit", "export", "-o", "/nonexistent-dir/a.csv", tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "zhibu audit：错误：无法读写文件 /nonexistent-dir/a.csv：文件或目录不存在。\n"


@pytest.mark.parametrize(
    "args, line, code",
    [
        (["backup"], "zhibu backup：错误：缺少必需的参数：-o/--output", 2),
        (
            ["migrate", "--bogus"],
            "zhibu migrate：错误：无法识别的参数：--bogus",
            2,
        ),  # Django's own commands too
        (["worker", "--max-tasks", "x"], "zhibu worker：错误：参数 --max-tasks 的值“x”格式不对", 2),
        (["serve", "--workers"], "zhibu serve：错误：参数 --workers 需要一个值", 2),
        (
            ["restore", "/nonexistent-dir/a.zbk", "--noinput"],
            "zhibu restore：错误：备份文件不存在：/nonexistent-dir/a.zbk",
            1,
        ),
        (
            ["backup", "-o", "/proc/a.zbk"],
            "zhibu backup：错误：无法读写文件 /proc/a.zbk.part：文件或目录不存在。",
            1,
        ),
        (["no-such-command"], "未知的命令：no_such_command。运行 zhibu help 查看全部命令。", 1),
    ],
)
def test_every_command_answers_errors_in_one_chinese_line(tmp_path, args, line, code):
    result = _zhibu(*args, tmp_path=tmp_path)
    assert (result.returncode, result.stderr.splitlines()[-1]) == (code, line)
    assert "Traceback" not in result.stderr and "CommandError" not in result.stderr


def test_every_zhibu_command_has_the_chinese_base():
    from django.core.management import get_commands, load_command_class

    from zhibu.core.command import ChineseCommand

    ours = {name: app for name, app in get_commands().items() if app.startswith("zhibu")}
    assert len(ours) >= 15
    plain = [
        name for name, app in ours.items() if not isinstance(load_command_class(app, name), ChineseCommand)
    ]
    assert plain == []
