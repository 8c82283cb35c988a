"""The authorisation matrix: every named URL (pages and API) × every persona → allowed or denied.

Each app lists its URLs in `zhibu/<app>/tests/access.py` as `ACCESS = [Case(...), ...]`. The central test
(core/tests/test_access_matrix.py) runs every case for every persona and fails when a URL has no case.

A persona in `allowed` must get a status below 400 (or one listed in `ok_status`, e.g. 400 for a POST with
empty data that the view validates after its scope check). Every other persona must get 404 (logged in but
out of scope: the object's existence is not revealed), or a redirect to the login page / 401 when anonymous.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The three administrators of 三员分立 (sysadmin, secadmin, auditor) hold their roles at the district.
PERSONAS = (
    "district",
    "sec_a",
    "member_a",
    "sec_b",
    "outsider",
    "auditor",
    "sysadmin",
    "secadmin",
    "anonymous",
)


@dataclass(frozen=True)
class Case:
    name: str  # URL name, e.g. "records:list" or "api:records_list"
    allowed: frozenset[str] | set[str]
    args: Callable[[object], list] = lambda tree: []
    method: str = "get"
    data: Callable[[object], dict] | dict = field(default_factory=dict)
    query: str = ""
    ok_status: tuple[int, ...] = ()
    label: str = ""  # tells two cases of the same URL apart

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}"


def anyone_logged_in() -> set[str]:
    return set(PERSONAS) - {"anonymous"}
