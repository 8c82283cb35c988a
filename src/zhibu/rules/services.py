"""Writes of the rules app: stored lights, requirements, follow-ups, calendar feed tokens."""

from __future__ import annotations

import json
import logging
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import events
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation, OrgType
from zhibu.orgs.roles import Action

from . import engine, tasks
from .models import (
    PERIOD_DAYS,
    FeedToken,
    FollowUp,
    MonthLight,
    Period,
    Relight,
    Requirement,
    RequirementNotice,
)

PERIODS_PER_YEAR: dict[str, int] = {
    Period.DAY: 365,
    Period.WEEK: 52,
    Period.MONTH: 12,
    Period.QUARTER: 4,
    Period.HALF_YEAR: 2,
    Period.YEAR: 1,
}
STORE_BATCH = 2000
logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- stored lights
#
# Every writer of MonthLight rows holds the lock of the branches it writes for the whole of its transaction and
# evaluates only after taking it: whoever writes last has read every record committed before it, and a record
# committed later announces itself and relights its branch again. Rows are upserted, and only those whose
# evaluation changed are written (PostgreSQL keeps no dead row for an unchanged month).

LIGHT_FIELDS = ["base", "open_deadline", "items", "computed_at"]


def _lock(branches: QuerySet, *, wait: bool = True) -> bool:
    """Serialise the writers of these branches' lights until the transaction ends.

    PostgreSQL: a FOR NO KEY UPDATE lock on each branch's Organisation row, in id order. It conflicts only with
    another writer of lights (or an edit of the organisation itself), never with the key-share lock that saving a
    record takes, so a record is never blocked by a relight. SQLite has a single writer: nothing to do.
    With wait=False it answers False at once when another writer holds one of them."""
    if connection.vendor != "postgresql":
        return True
    wanted = branches.count() if not wait else None
    locked = list(
        branches.order_by("pk")
        .select_for_update(no_key=True, skip_locked=not wait, of=("self",))
        .values_list("pk", flat=True)
    )
    return wait or len(locked) == wanted


def _stored_texts(ids: list[int], year: int) -> dict[tuple[int, int], tuple]:
    """{(org_id, month): (base, open deadline as text, items as JSON text)} of the stored rows — read as text and
    compared as text: decoding 240,000 JSON documents and dates to compare them cost more than the evaluation."""
    table = MonthLight._meta.db_table
    stored: dict[tuple[int, int], tuple] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"SELECT org_id, month, base, CAST(open_deadline AS text), CAST(items AS text) FROM {table} "
                f"WHERE year = %s AND org_id IN ({', '.join(['%s'] * len(chunk))})",
                [year, *chunk],
            )
            for org_id, month, base, deadline, items in cursor.fetchall():
                stored[(org_id, month)] = (base, deadline, items)
    return stored


def _light_rows(results: dict[int, list[engine.MonthEval]]) -> list[tuple]:
    """(org_id, month, base, open deadline as ISO text or None, items as JSON text) for every evaluated month.
    The text is json.dumps' own (default separators), which is also how PostgreSQL prints jsonb of a list of lists
    of numbers and ASCII strings, so SQLite can compare stored and evaluated rows as text. The same item recurs in
    many branches (a city has a few thousand distinct ones among two million): each is encoded once, and so is
    each distinct month."""
    dumps = json.dumps
    encoded: dict[engine.Item, str] = {}
    months_seen: dict[tuple, tuple] = {}
    rows = []
    for org_id, months in results.items():
        for ev in months:
            key = (ev.off, *ev.items)
            month = months_seen.get(key)
            if month is None:
                parts = []
                for item in ev.items:
                    part = encoded.get(item)
                    if part is None:
                        part = encoded[item] = dumps(item.as_row())
                    parts.append(part)
                deadline = ev.open_deadline if parts else None
                month = months_seen[key] = (
                    ev.base,
                    deadline and deadline.isoformat(),
                    "[" + ", ".join(parts) + "]",
                )
            rows.append((org_id, ev.month, *month))
    return rows


# PostgreSQL: the evaluated rows go to the database and the database compares: a row whose base, deadline and
# items (jsonb, compared as values) are unchanged is neither inserted nor updated, so it leaves no dead tuple.
# The row count is what was inserted or changed. A few rows (one branch) travel as array parameters; many (a
# subtree) are copied into a temporary table first: COPY takes 240,000 rows in under a second, where binding
# them as arrays took six.
UPSERT_PG = """
INSERT INTO {table} AS l (org_id, year, month, base, open_deadline, items, computed_at)
SELECT t.org_id, %s, t.month, t.base, t.open_deadline, t.items::jsonb, %s
FROM {source}
ON CONFLICT (org_id, year, month) DO UPDATE
SET base = EXCLUDED.base, open_deadline = EXCLUDED.open_deadline, items = EXCLUDED.items,
    computed_at = EXCLUDED.computed_at
WHERE (l.base, l.open_deadline, l.items) IS DISTINCT FROM (EXCLUDED.base, EXCLUDED.open_deadline, EXCLUDED.items)
"""
UNNEST = (
    "unnest(%s::bigint[], %s::smallint[], %s::varchar[], %s::date[], %s::text[]) "
    "AS t(org_id, month, base, open_deadline, items)"
)
COPY_FROM = 1000  # rows from which they are copied into a temporary table rather than bound as arrays
STAGING = "rules_monthlight_in"


def _store_postgresql(results: dict[int, list[engine.MonthEval]], year: int, now) -> int:
    table = MonthLight._meta.db_table
    rows = _light_rows(results)
    if not rows:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if len(rows) < COPY_FROM:
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(UPSERT_PG.format(table=table, source=UNNEST), [year, now, *columns])
            return cursor.rowcount
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (org_id bigint, month smallint, base varchar(6), "
            "open_deadline date, items text) ON COMMIT DROP"
        )
        with cursor.cursor.copy(
            f"COPY {STAGING} (org_id, month, base, open_deadline, items) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(UPSERT_PG.format(table=table, source=f"{STAGING} AS t"), [year, now])
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGING}")  # a second store in the same transaction makes its own
        return written


def _store_compared(results: dict[int, list[engine.MonthEval]], year: int, now) -> int:
    """Other databases: read the stored rows back as text, upsert the ones that differ."""
    stored = _stored_texts(list(results), year)
    rows = [
        MonthLight(
            org_id=org_id,
            year=year,
            month=month,
            base=base,
            open_deadline=deadline and date.fromisoformat(deadline),
            items=json.loads(items),
            computed_at=now,
        )
        for org_id, month, base, deadline, items in _light_rows(results)
        if stored.get((org_id, month)) != (base, deadline, items)
    ]
    if rows:
        MonthLight.objects.unscoped().bulk_create(
            rows,
            batch_size=STORE_BATCH,
            update_conflicts=True,
            unique_fields=["org", "year", "month"],
            update_fields=LIGHT_FIELDS,
        )
    return len(rows)


def store(results: dict[int, list[engine.MonthEval]], year: int) -> int:
    """Upsert the stored lights of these branches for `year`; rows whose evaluation did not change are left
    alone. The caller holds the branches' lock (see _lock). Returns how many rows were written."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _store_postgresql(results, year, now)
    return _store_compared(results, year, now)


def _subtree_branches(root_path: str) -> QuerySet:
    low, high = scoping.path_bounds(root_path)
    return Organisation.objects.filter(path__gte=low, path__lte=high, type__level=OrgType.Level.BRANCH)


def stored_years(root_path: str) -> set[int]:
    low, high = scoping.path_bounds(root_path)
    return set(
        MonthLight.objects.unscoped()
        .filter(org__path__gte=low, org__path__lte=high)
        .values_list("year", flat=True)
        .distinct()
    )


def relight(root_path: str, years: set[int] | None = None) -> int:
    """Re-evaluate and store every branch under `root_path` for the given years (default: the years already
    stored for the subtree, and this year): one transaction a year, holding the subtree's branch locks.
    Work of seconds for a large subtree: run it in a task (tasks.relight_subtree), never in a request."""
    if years is None:
        years = stored_years(root_path) | {timezone.localdate().year}
    rules = engine.load_rules()
    concurrent = _may_read_beside()
    written = 0
    for year in sorted(years):
        with transaction.atomic():
            _lock(_subtree_branches(root_path))
            written += store(engine.evaluate(root_path, year, rules=rules, concurrent=concurrent), year)
    return written


def _may_read_beside() -> bool:
    """Whether a subtree's evaluation may read on a second connection (engine.evaluate's `concurrent`): on
    PostgreSQL, when no transaction is open around the caller — its own transaction then holds nothing but the
    branch locks, so a second connection sees exactly the records it would. Inside an enclosing transaction
    (a caller's, a test's) whatever that transaction wrote is invisible elsewhere: read on this connection."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def store_missing(root_path: str, year: int) -> int:
    """Store the lights of the branches under `root_path` that have none for `year` yet (a year first opened on
    the board). Several at once are harmless: the later ones find nothing missing. Returns branches stored."""
    concurrent = _may_read_beside()
    with transaction.atomic():
        branches = _subtree_branches(root_path)
        _lock(branches)
        have = set(
            MonthLight.objects.unscoped()
            .filter(org__in=branches, year=year)
            .values_list("org_id", flat=True)
            .distinct()
        )
        missing = [b for b in engine.load_branches(root_path) if b.id not in have]
        if missing:
            store(engine.evaluate(root_path, year, branches=missing, concurrent=concurrent), year)
    return len(missing)


def branch_of(org_id: int) -> Organisation | None:
    """The branch whose lights an organisation's records count for (a 党小组's: its branch's), or None."""
    org = Organisation.objects.select_related("type").filter(pk=org_id).first()
    if org is not None and org.type.level == OrgType.Level.GROUP:
        org = org.branch
    if org is None or org.type.level != OrgType.Level.BRANCH:
        return None
    return org


def branch_relight(*, branch: Organisation, years: set[int], wait: bool = True) -> bool:
    """Re-evaluate and store one branch for `years` under its lock. With wait=False, answers False (and writes
    nothing) when another writer holds the branch: the caller then leaves the work to a task."""
    with transaction.atomic():
        if not _lock(Organisation.objects.filter(pk=branch.pk), wait=wait):
            return False
        rules = engine.load_rules()
        for year in sorted(years):
            store(engine.evaluate(branch.path, year, rules=rules), year)
    return True


def years_touched(months: set[tuple[int, int]]) -> set[int]:
    """The years whose lights records held in `months` can change. A December record can complete a week that
    falls due in January, so with weekly or daily requirements the next year is touched too."""
    years = {year for year, _month in months}
    if (
        any(month == 12 for _year, month in months)
        and Requirement.objects.unscoped().filter(period__in=[Period.WEEK, Period.DAY]).exists()
    ):
        years |= {year + 1 for year, month in months if month == 12}
    return years


def lights_refresh(*, org_id: int, months: set[tuple[int, int]], wait: bool = True) -> bool:
    """Keep the stored evaluation of the branch-months a record change touched equal to a recompute from the
    records (the whole year of each month touched)."""
    branch = branch_of(org_id)
    if branch is None or not months:
        return True
    return branch_relight(branch=branch, years=years_touched(months), wait=wait)


def lights_refresh_branch(*, org: Organisation, wait: bool = True) -> bool:
    """For roster changes (committee size, secretary, party members): re-evaluate the branch's stored years."""
    branch = branch_of(org.pk)
    if branch is None:
        return True
    return branch_relight(
        branch=branch, years=stored_years(branch.path) | {timezone.localdate().year}, wait=wait
    )


def _now_or_later(relight, enqueue) -> None:
    """Relight now unless another writer holds the branch (PostgreSQL) or kept SQLite's database locked past its
    timeout: then a task does it, once that writer has finished. Never fails the request that announced."""
    try:
        done = relight()
    except OperationalError:
        logger.warning("lights: database busy, relight left to a task", exc_info=True)
        done = False
    if not done:
        enqueue()


def on_records_changed(change: events.Change) -> None:
    """Subscriber (after commit): relight each touched branch now — one branch, a few queries."""
    months = set(change.months)
    for org_id in change.org_ids:
        _now_or_later(
            lambda org_id=org_id: lights_refresh(org_id=org_id, months=months, wait=False),
            lambda org_id=org_id: tasks.relight_records.enqueue(org_id, [list(m) for m in sorted(months)]),
        )


def on_roster_changed(change: events.Change) -> None:
    """Subscriber (after commit): the roster of these branches changed — relight their stored years."""
    for org_id in change.org_ids:
        branch = branch_of(org_id)
        if branch is not None:
            _now_or_later(
                lambda branch=branch: lights_refresh_branch(org=branch, wait=False),
                lambda branch=branch: tasks.relight_branch.enqueue(branch.pk),
            )


def on_calendar_changed(change: events.Change) -> None:
    """Subscriber (after commit): an organisation's 启用日期 or 假期 changed — relight its subtree in a task."""
    for org in Organisation.objects.filter(pk__in=change.org_ids):
        relight_later(org=org, reason=f"{org.label}的启用日期或假期已修改")


def relight_later(*, org: Organisation | None, reason: str) -> Relight:
    """Relight the subtree of `org` (None: every organisation) in a task once the current transaction commits
    (a requirement change). Until the task finishes the boards over that subtree say so (Relight)."""
    marker = Relight(org=org, reason=reason[:200])
    marker.full_clean()
    marker.save()
    root_path = org.path if org is not None else ""
    transaction.on_commit(lambda: tasks.relight_subtree.enqueue(root_path, None, marker.pk))
    return marker


def relight_finished(relight_id: int) -> None:
    Relight.objects.unscoped().filter(pk=relight_id, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )


def restore_later(branch: Organisation, year: int) -> None:
    """A page evaluated a branch-year live and found its stored lights missing or different (an announcement
    lost to a crash, say): a task stores it again. Once per branch-year and process while it waits."""
    if cache.add(f"rules:restore:{branch.pk}:{year}", 1, timeout=120):
        tasks.relight_records.enqueue(branch.pk, [[year, 1]])


def store_later(root_path: str, year: int) -> None:
    """A page showed a year not stored yet for some branches (computed on the fly): store it in a task.
    A second request while the first task waits enqueues nothing more (per process)."""
    if cache.add(f"rules:store:{root_path}:{year}", 1, timeout=120):
        tasks.store_year.enqueue(root_path, year)


# ---------------------------------------------------------------- requirements

EDITABLE = (
    "code",
    "name",
    "kind",
    "period",
    "min_count",
    "weekday",
    "min_attendance",
    "speaker_secretary",
    "per_group",
    "per_member",
    "needs_committee",
    "grace_days",
    "basis",
    "local_rule",
    "valid_from",
    "valid_to",
    "replaces",
    "note",
    "closes_month",
    "closes_day",
)


def _require_manage(actor, owner: Organisation | None) -> None:
    """Committees' requirements need SUPERVISE there; a branch's own need RECORD there. Built-ins: system only."""
    if owner is None:
        if actor is not scoping.SYSTEM:
            raise ValidationError("内置默认要求不能在此修改；如需调整，请在本级添加更严格的要求。")
        return
    level = owner.type.level
    if level == OrgType.Level.COMMITTEE:
        scoping.require(actor, Action.SUPERVISE, owner)
    elif level == OrgType.Level.BRANCH:
        if not (scoping.can(actor, Action.RECORD, owner) or scoping.can(actor, Action.SUPERVISE, owner)):
            raise scoping.NotVisible("不存在或无权访问。")
        if not scoping.can(actor, Action.RECORD, owner):
            raise ValidationError("支部自己的要求由本支部制定；上级可在本级添加适用于下级的要求。")
    else:
        scoping.require(actor, Action.SUPERVISE, owner)
        raise ValidationError("党小组不能制定制度要求。")


def loosening(new: Requirement, old: Requirement, new_type_ids: set[int]) -> list[str]:
    """Why `new` would be looser than the inherited `old` it replaces (empty list: at least as strict)."""
    problems = []
    if new.kind_id != old.kind_id:
        problems.append("收紧的要求必须是同一活动类型。")
    if PERIOD_DAYS[new.period] > PERIOD_DAYS[old.period]:
        problems.append(f"周期不能比上级要求（{old.get_period_display()}）更长。")
    elif new.min_count * PERIODS_PER_YEAR[new.period] < old.min_count * PERIODS_PER_YEAR[old.period]:
        problems.append(f"次数不能少于上级要求（{old.frequency_text()}）。")
    if new.grace_days > old.grace_days:
        problems.append(f"补录宽限不能超过上级要求的 {old.grace_days} 天。")
    if old.min_attendance is not None and (
        new.min_attendance is None or new.min_attendance < old.min_attendance
    ):
        problems.append(f"出席率不能低于上级要求的 {old.min_attendance:.0%}。")
    if old.weekday is not None and new.weekday != old.weekday:
        problems.append(f"不能改变上级要求限定的{old.get_weekday_display()}。")
    for flag, text in (
        ("speaker_secretary", "须由支部书记主讲"),
        ("per_group", "每个党小组分别计"),
        ("per_member", "每名党员分别计"),
    ):
        if getattr(old, flag) and not getattr(new, flag):
            problems.append(f"不能取消上级要求的“{text}”。")
    if new.needs_committee and not old.needs_committee:
        problems.append("不能把要求缩小到仅设支委会的支部。")
    if new.closes_month and (
        old.closes_month is None or (new.closes_month, new.closes_day) > (old.closes_month, old.closes_day)
    ):
        limit = f"（{old.closes_text}）" if old.closes_month else "（当年年底）"
        problems.append(f"次年截止日期不能晚于上级要求{limit}。")
    if set(old.org_types.values_list("pk", flat=True)) - new_type_ids:
        problems.append("适用组织类别不能少于上级要求。")
    return problems


def _check_replaces(req: Requirement, type_ids: set[int]) -> None:
    old = req.replaces
    if old is None:
        return
    owner = req.owner
    inherited = old.owner is None or (
        owner is not None and old.owner_id != owner.pk and owner.path.startswith(old.owner.path)
    )
    if not inherited:
        raise ValidationError({"replaces": "只能收紧上级党组织或内置的要求。"})
    if owner is not None and owner.type.level == OrgType.Level.BRANCH:
        # a branch's own requirement only ever applies to the branch itself
        type_ids = type_ids | set(old.org_types.values_list("pk", flat=True))
    problems = loosening(req, old, type_ids)
    if problems:
        raise ValidationError({"replaces": ["不能放宽上级党组织规定的要求：" + "".join(problems)]})


def _check_children(req: Requirement) -> None:
    """Editing a superior's requirement must not leave a lower one that replaces it looser than it."""
    for child in Requirement.objects.unscoped().filter(replaces=req).select_related("owner"):
        if loosening(child, req, set(child.org_types.values_list("pk", flat=True))):
            raise ValidationError(
                f"下级党组织（{child.owner.label if child.owner else '内置'}）的要求“{child.label}”"
                "将比修改后的要求宽松，请先调整或废止它。"
            )


def _relight_after(req: Requirement) -> None:
    relight_later(org=req.owner, reason=f"制度要求“{req.label}”已修改")


@transaction.atomic
def requirement_save(
    *,
    actor,
    owner: Organisation | None,
    org_types: list[OrgType] | None = None,
    instance: Requirement | None = None,
    **fields,
) -> Requirement:
    """Create (instance=None) or change a requirement of `owner`, then re-evaluate the owner's subtree."""
    if instance is not None:
        owner = instance.owner
    _require_manage(actor, owner)
    req = instance or Requirement(owner=owner)
    before = {f: str(getattr(req, f)) for f in EDITABLE} if instance else {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(f"field {name} cannot be set here")
        setattr(req, name, value)
    if org_types is None:
        type_ids = (
            set(req.org_types.values_list("pk", flat=True))
            if req.pk
            else set(OrgType.objects.filter(level=OrgType.Level.BRANCH).values_list("pk", flat=True))
        )
    else:
        type_ids = {t.pk for t in org_types}
    if not type_ids:
        raise ValidationError({"org_types": "请至少选择一种适用的组织类别。"})
    if owner is not None and owner.type.level == OrgType.Level.BRANCH and type_ids - {owner.type_id}:
        type_ids &= {owner.type_id}
        if not type_ids:
            raise ValidationError({"org_types": "支部自己的要求只适用于本支部。"})
    req.full_clean(exclude=["org_types"])
    if req.per_member and req.period != Period.YEAR:
        raise ValidationError({"per_member": "按党员分别计的要求目前只支持“每年”。"})
    _check_replaces(req, type_ids)
    if instance is not None:
        _check_children(req)
    req.save()
    req.org_types.set(type_ids)
    after = {f: str(getattr(req, f)) for f in EDITABLE}
    audit.log(
        actor=actor,
        verb="requirement.update" if instance else "requirement.create",
        target=req,
        detail=audit.changes(before, after) if instance else {"name": req.name, "period": req.period},
        org_path=owner.path if owner else "",
    )
    _relight_after(req)
    return req


@transaction.atomic
def requirement_retire(*, actor, requirement: Requirement, on: date | None = None) -> Requirement:
    """Stop a requirement from `on` (default today). Kept for the history of past lights."""
    _require_manage(actor, requirement.owner)
    on = on or timezone.localdate()
    if requirement.valid_to is not None and requirement.valid_to <= on:
        raise ValidationError("该要求已经废止。")
    requirement.valid_to = max(on, requirement.valid_from)
    requirement.full_clean(exclude=["org_types"])
    requirement.save(update_fields=["valid_to", "updated_at"])
    audit.log(
        actor=actor,
        verb="requirement.retire",
        target=requirement,
        detail={"valid_to": requirement.valid_to},
        org_path=requirement.owner.path if requirement.owner else "",
    )
    _relight_after(requirement)
    return requirement


# ---------------------------------------------------------------- notices beside requirements


@transaction.atomic
def requirement_notice_link(
    *, actor, org: Organisation, requirement: Requirement, notice
) -> RequirementNotice:
    """`org` points one of the requirements binding its subtree to one of its own notices (no change to lights)."""
    scoping.require(actor, Action.SUPERVISE, org)
    if notice.org_id != org.pk:
        raise ValidationError({"notice": "只能关联本单位发布的通知。"})
    owner = requirement.owner
    if owner is not None and owner.path not in org.ancestor_paths(include_self=True):
        raise ValidationError({"notice": "该要求不适用于本单位的下级党组织。"})
    link, created = RequirementNotice.objects.unscoped().get_or_create(
        org=org, requirement=requirement, notice=notice
    )
    if created:
        audit.log(
            actor=actor,
            verb="requirement.notice_link",
            target=requirement,
            detail={"notice": notice.title},
            org_path=org.path,
        )
    return link


@transaction.atomic
def requirement_notice_unlink(*, actor, link: RequirementNotice) -> None:
    scoping.require(actor, Action.SUPERVISE, link.org)
    audit.log(
        actor=actor,
        verb="requirement.notice_unlink",
        target=link.requirement,
        detail={"notice": link.notice.title},
        org_path=link.org.path,
    )
    link.delete()


# ---------------------------------------------------------------- follow-ups


@transaction.atomic
def followup_record(
    *, actor, org: Organisation, year: int, month: int, kind: str, on: date, note: str
) -> FollowUp:
    """The superior's 谈话 or 整改要求 against a branch's consecutive yellow/red lights ending in (year, month)."""
    from . import selectors

    scoping.require(actor, Action.SUPERVISE, org)
    if org.type.level != OrgType.Level.BRANCH:
        raise ValidationError("只能对党支部记录亮灯跟进。")
    if not 1 <= month <= 12:
        raise ValidationError({"month": "月份应在 1 到 12 之间。"})
    streak = selectors.streak_at(actor, org, year, month)
    if streak < 2:
        raise ValidationError("该支部在这个月没有连续两个月亮黄灯或红灯，无需记录跟进。")
    followup = FollowUp(
        org=org,
        year=year,
        month=month,
        kind=kind,
        on=on,
        note=(note or "").strip(),
        by=actor if getattr(actor, "pk", None) else None,
        by_name=str(actor)[:50],
    )
    followup.full_clean()
    if followup.on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天。"})
    followup.save()
    audit.log(
        actor=actor,
        verb="light.followup",
        target=followup,
        detail={"year": year, "month": month, "kind": kind, "streak": streak},
    )
    return followup


# ---------------------------------------------------------------- calendar feed


def feed_token(*, actor) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(user=actor, defaults={"token": FeedToken.new_token()})
    return token


@transaction.atomic
def feed_token_reset(*, actor) -> FeedToken:
    token = feed_token(actor=actor)
    token.token = FeedToken.new_token()
    token.created_at = timezone.now()
    token.save()
    audit.log(actor=actor, verb="light.feed_reset", target=None, detail={})
    return token
