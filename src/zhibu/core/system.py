"""Where the system actor may act: in commands and background work, never while answering a web request.

The command line (`zhibu …`), the worker, benchmarks and the test session enter system work for their process;
every web request leaves it for its own duration (core.middleware.NoSystemWorkMiddleware), so a request thread
can never act as the system, even in a server started from the command line. A background task enters it for the
task's run (`system_work()`). orgs.scoping refuses `scoping.SYSTEM` outside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_system_work: ContextVar[bool] = ContextVar("zhibu_system_work", default=False)


def allowed() -> bool:
    return _system_work.get()


def enter_for_process() -> None:
    """For a process that is itself system work: the command line, a benchmark, the test session."""
    _system_work.set(True)


@contextmanager
def _for_block(value: bool) -> Iterator[None]:
    token = _system_work.set(value)
    try:
        yield
    finally:
        _system_work.reset(token)


def system_work():
    """System work for the duration of a block (a background task run inside a request by an immediate queue)."""
    return _for_block(True)


def web_request():
    """Not system work for the duration of a block (one web request)."""
    return _for_block(False)
