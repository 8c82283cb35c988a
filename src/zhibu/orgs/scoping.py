"""The one place that turns (user, action) into organisations.

A role held at an organisation covers its subtree. A subtree is a range on the materialised path
(`path >= p AND path <= p + 'ZZ…'`), which both SQLite and PostgreSQL answer from the path index; Django's
`startswith` would scan on SQLite. Everything here fails closed: no role, no rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Q, QuerySet
from django.http import Http404

from zhibu.core import system

from .models import Organisation, RoleAssignment
from .roles import BRANCH_ROLES, ROLE_ACTIONS, Action, roles_for
from .roster import roster

PATH_MAX = 255
ROOT_PATH_LENGTH = Organisation.steplen  # the path of a top organisation
_CACHE_ATTR = "_zhibu_scope_cache"


class NotVisible(Http404):
    """Raised for anything outside the actor's scope: the caller answers 404, revealing nothing."""


def path_bounds(prefix: str) -> tuple[str, str]:
    return prefix, prefix + "Z" * (PATH_MAX - len(prefix))


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths covered by a shorter one: a superior's role already covers a branch role below it."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return result


def _assignments(actor) -> list[tuple[str, str]]:
    cache = actor.__dict__.setdefault(_CACHE_ATTR, {})
    if "rows" not in cache:
        cache["rows"] = list(
            RoleAssignment.objects.filter(user_id=actor.pk, org__dissolved_on__isnull=True).values_list(
                "role", "org__path"
            )
        )
    return cache["rows"]


def prefixes(actor, action: str) -> list[str]:
    """The subtree roots the actor may act on for this action."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    if actor is SYSTEM:
        _system_work_only()
        return [""]
    allowed = set(roles_for(action))
    return _minimal(path for role, path in _assignments(actor) if role in allowed)


def roles_of(actor) -> set[str]:
    """The roles the actor holds anywhere (read from the same cached rows as the scope)."""
    if actor is None or actor is SYSTEM or not getattr(actor, "is_authenticated", False):
        return set()
    return {role for role, _ in _assignments(actor)}


def role_paths(actor) -> set[str]:
    """The paths of the organisations where the actor holds a role themself (not the subtrees below them)."""
    if actor is None or actor is SYSTEM or not getattr(actor, "is_authenticated", False):
        return set()
    return {path for _, path in _assignments(actor)}


def holds_branch_role(actor) -> bool:
    """Whether the actor holds a role inside a branch (书记 … 党员: someone on a roster), from the cached rows."""
    return bool(BRANCH_ROLES & roles_of(actor))


def forget(actor) -> None:
    """Drop the cached scope (after roles change within one request or test)."""
    if actor is not None:
        actor.__dict__.pop(_CACHE_ATTR, None)


def q(actor, action: str, field: str = "org") -> Q:
    """A Q object restricting `field` (a path to an Organisation, or "" for Organisation itself)."""
    key = f"{field}__path" if field else "path"
    condition = Q(pk__in=[])
    for prefix in prefixes(actor, action):
        low, high = path_bounds(prefix)
        condition |= Q(**{f"{key}__gte": low, f"{key}__lte": high})
    return condition


def q_above(actor, action: str, field: str = "org") -> Q:
    """A Q object for rows of the organisations above the actor's scope roots: the settings their subtrees
    inherit (activity kinds, platforms, dues rounding)."""
    key = f"{field}__path" if field else "path"
    above = sorted(
        {p for prefix in prefixes(actor, action) for p in Organisation.path_chain(prefix, include_self=False)}
    )
    return Q(**{f"{key}__in": above}) if above else Q(pk__in=[])


def organisations(actor, action: str = Action.VIEW) -> QuerySet[Organisation]:
    return Organisation.objects.filter(q(actor, action, "")).select_related("type")


def can(actor, action: str, org: Organisation | None) -> bool:
    if org is None:
        return False
    return any(org.path.startswith(prefix) for prefix in prefixes(actor, action))


def require(actor, action: str, org: Organisation | None) -> None:
    if not can(actor, action, org):
        raise NotVisible("不存在或无权访问。")


def get_org(actor, action: str, code: str) -> Organisation:
    """An organisation by code, or 404 if it does not exist or is outside the scope."""
    org = Organisation.objects.select_related("type").filter(code=code).first()
    require(actor, action, org)
    return org


def actions_at(actor, org: Organisation) -> set[str]:
    """Everything the actor may do at this organisation (for showing or hiding buttons)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return set()
    if actor is SYSTEM:
        _system_work_only()
        return set().union(*ROLE_ACTIONS.values())
    result: set[str] = set()
    for role, path in _assignments(actor):
        if org.path.startswith(path):
            result |= ROLE_ACTIONS.get(role, frozenset())
    return result


def home_org(actor) -> Organisation | None:
    """The organisation a user's pages start from: the highest one where they hold a role."""
    if actor is SYSTEM:
        _system_work_only()
        return Organisation.get_first_root_node()
    rows = _assignments(actor) if actor is not None and actor.is_authenticated else []
    if not rows:
        return None
    path = min((p for _, p in rows), key=lambda p: (len(p), p))
    return Organisation.objects.select_related("type").get(path=path)


# ---------------------------------------------------------------------------------------------- one's own records


def _person(actor) -> int | None:
    """The user id behind an actor who may have records of their own; None for the system and the anonymous."""
    if actor is None:
        raise MissingActor("读取本人的记录需要指明操作人。")
    if (
        actor is SYSTEM
        or not getattr(actor, "is_authenticated", False)
        or not getattr(actor, "is_active", True)
    ):
        return None
    return getattr(actor, "pk", None)


def own_q(actor, field: str = "user") -> Q:
    """A Q object for the rows that are the actor's own through `field` (a path to the user account): a member's
    own roster record, an appraiser's own seats. Fails closed: nobody's rows for the system or the anonymous."""
    user_id = _person(actor)
    return Q(**{field: user_id}) if user_id is not None else Q(pk__in=[])


def own_member(actor):
    """The roster record linked to the actor's account (党员本人), or None. Read once per actor."""
    user_id = _person(actor)
    if user_id is None:
        return None
    cache = actor.__dict__.setdefault(_CACHE_ATTR, {})
    if "own_member" not in cache:
        cache["own_member"] = roster().linked_member(user_id)
    return cache["own_member"]


def is_own(actor, member) -> bool:
    """Whether `member` is the actor's own roster record."""
    user_id = _person(actor)
    return user_id is not None and member is not None and member.user_id == user_id


class SystemActor:
    """The actor of a command run on the server without --user, and of background jobs: it enters the whole
    tree on purpose. It never comes from a web request: outside system work (core.system) it is refused."""

    pk = None
    is_authenticated = True
    is_active = True
    username = "system"

    def __str__(self) -> str:
        return "系统"


SYSTEM = SystemActor()


class MissingActor(PermissionError):
    """A read or write was asked for without saying who asks: refused rather than widened to the whole tree."""


class SystemActorRefused(PermissionError):
    """The system actor was asked for while answering a web request (or anywhere outside system work)."""


def _system_work_only() -> None:
    if not system.allowed():
        raise SystemActorRefused("系统身份只能在命令行和后台任务中使用，不能用于网页请求。")


@contextmanager
def system_figures() -> Iterator[None]:
    """Compute, inside a request, a figure over rows the actor may not read, and return only the figure (a
    branch's rank among its siblings). The one place a request borrows the system actor; keep its uses few and
    their results numbers."""
    with system.system_work():
        yield


def can_create_root(actor) -> bool:
    return actor is SYSTEM
