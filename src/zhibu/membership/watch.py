"""The member watch: 失联 (ZB-25), 流动党员 (LD-06…08) and the six-month counters of ZB-26 (no organisational
life, no dues). The system lists who needs attention and why; the branch and the committee decide. Nothing here
changes a member's status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.core import months
from zhibu.dues.ledger import CASE_AT, LEVEL_BADGES, LEVEL_LABELS, Ledger, level_of, streak
from zhibu.dues.models import DuesPayment
from zhibu.dues.selectors import PARTY_STATUSES, subtree_filter
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.records.models import Activity, Attendance

from .models import ContactLog, MobileRecord, Transfer
from .transfers import add_months

LOST_CONTACT_MONTHS = 6  # ZB-25
MOBILE_CONTACT_MONTHS = 12  # LD-08: report at least once a year
MOBILE_TRANSFER_MONTHS = 6  # ZB-28: away 6 months at a fixed place → transfer


def _who(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def contact_add(*, actor, member: Member, contacted_on: date, way: str = "", note: str = "") -> ContactLog:
    scoping.require(actor, Action.MEMBERS, member.branch)
    row = ContactLog(member=member, contacted_on=contacted_on, way=way, note=note, recorded_by=_who(actor))
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb="member.contact",
        target=row,
        org_path=member.branch.path,
        detail={"member": member.pk, "on": contacted_on},
    )
    return row


@transaction.atomic
def mobile_register(
    *,
    actor,
    member: Member,
    destination: str,
    left_on: date,
    host_org: str = "",
    card_number: str = "",
    card_issued_on: date | None = None,
    note: str = "",
) -> MobileRecord:
    """Register a member going away (流动党员) with the host organisation and the 活动证 if one was issued."""
    scoping.require(actor, Action.MEMBERS, member.branch)
    if (
        MobileRecord.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member, returned_on__isnull=True)
        .exists()
    ):
        raise ValidationError({"destination": "该党员已登记为流动党员，请先登记返回。"})
    row = MobileRecord(
        member=member,
        destination=destination,
        host_org=host_org,
        card_number=card_number,
        card_issued_on=card_issued_on,
        left_on=left_on,
        note=note,
    )
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb="member.mobile",
        target=row,
        org_path=member.branch.path,
        detail={"member": member.pk, "destination": destination, "left_on": left_on},
    )
    return row


@transaction.atomic
def mobile_return(*, actor, member: Member, returned_on: date) -> MobileRecord:
    scoping.require(actor, Action.MEMBERS, member.branch)
    row = (
        MobileRecord.objects.visible_to(actor, Action.MEMBERS)
        .filter(member=member, returned_on__isnull=True)
        .first()
    )
    if row is None:
        raise ValidationError({"returned_on": "该党员没有未返回的流动登记。"})
    row.returned_on = returned_on
    row.full_clean()
    row.save()
    audit.log(
        actor=actor,
        verb="member.mobile_return",
        target=row,
        org_path=member.branch.path,
        detail={"member": member.pk, "returned_on": returned_on},
    )
    return row


@dataclass
class Warning:
    member_id: int
    name: str
    branch: str
    topic: str  # 组织生活 / 党费 / 失联 / 流动党员 / 组织关系
    months: int | None
    level: str  # warn3 / warn5 / case / notice
    rule: str
    text: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "提示")

    @property
    def badge(self) -> str:
        return LEVEL_BADGES.get(self.level, "badge-yellow")


def _months_since(day: date, today: date) -> int:
    """Whole months from `day` to `today` (2022-03-15 → 2022-09-14 is 5, → 2022-09-15 is 6)."""
    count = months.between(day, today)
    return count - 1 if today.day < day.day else count


def _leave_months(rows, path: str, last_present: date | None) -> str:
    """The months since the last attendance in which the member was on 请假, for the warning's text."""
    shown: dict[date, str] = {}
    for activity_path, held_on, reason in rows:
        if activity_path.startswith(path) and (last_present is None or held_on > last_present):
            shown.setdefault(months.first(held_on), reason)
    if not shown:
        return ""
    listed = "、".join(f"{m.year}年{m.month}月（{reason}）" for m, reason in shown.items())
    return f"；{listed}请假，有正当理由，不计为缺席"


def watch(*, actor, org: Organisation, on: date | None = None) -> list[Warning]:
    """Warnings for every party member of the subtree, in ten queries whatever its size."""
    scoping.require(actor, Action.VIEW, org)
    today = on or timezone.localdate()
    month = months.first(today)
    members = list(
        Member.objects.visible_to(actor, Action.VIEW)
        .filter(
            **subtree_filter(org, "branch"),
            status__in=PARTY_STATUSES,
            left_on__isnull=True,
            standing=Member.Standing.NORMAL,
        )
        .order_by("branch__path", "name_pinyin", "id")
        .values_list(
            "id",
            "name",
            "branch__path",
            "branch__short_name",
            "joined_on",
            "lost_contact",
            "lost_contact_since",
            "mobile",
            "mobile_destination",
        )
    )
    in_subtree = subtree_filter(org)
    low, high = org.subtree_bounds()
    branch_paths = {row[2] for row in members}

    # Organisational life: last 出席 per member at an activity of their own branch (or its party groups), and last
    # 请假 with a reason (产假、病假、公派 …): that is not a missed meeting, so a month with one does not count as absent.
    attended: dict[int, list[tuple[str, date]]] = {}
    excused: dict[int, list[tuple[str, date]]] = {}
    for member_id, activity_path, presence, last in (
        Attendance.objects.visible_to(actor, Action.VIEW)
        .filter(
            Q(presence=Attendance.Presence.PRESENT) | (Q(presence=Attendance.Presence.LEAVE) & ~Q(reason="")),
            activity__held_on__lte=today,
            **in_subtree,
        )
        .values_list("member_id", "activity__org__path", "presence")
        .annotate(last=Max("activity__held_on"))
    ):
        target = attended if presence == Attendance.Presence.PRESENT else excused
        target.setdefault(member_id, []).append((activity_path, last))
    leaves: dict[int, list[tuple[str, date, str]]] = {}
    for member_id, activity_path, held_on, reason in (
        Attendance.objects.visible_to(actor, Action.VIEW)
        .filter(
            presence=Attendance.Presence.LEAVE,
            activity__held_on__lte=today,
            activity__held_on__gte=months.add(month, -(CASE_AT * 2)),
            **in_subtree,
        )
        .exclude(reason="")
        .order_by("activity__held_on", "id")
        .values_list("member_id", "activity__org__path", "activity__held_on", "reason")
    ):
        leaves.setdefault(member_id, []).append((activity_path, held_on, reason))
    first_activity: dict[str, date] = {}
    for path, first in (
        Activity.objects.visible_to(actor, Action.VIEW)
        .filter(org__path__gte=low, org__path__lte=high, held_on__lte=today)
        .values_list("org__path")
        .annotate(first=Min("held_on"))
    ):
        branch = path if path in branch_paths else Organisation.parent_path_of(path)
        if branch not in first_activity or first < first_activity[branch]:
            first_activity[branch] = first

    ledger = Ledger.load(
        actor=actor, action=Action.VIEW, member_filter=in_subtree, branch_paths=branch_paths, upto=month
    )
    last_paid = dict(
        DuesPayment.objects.visible_to(actor, Action.VIEW)
        .filter(month__lte=month, **in_subtree)
        .values("member_id")
        .annotate(last=Max("month"))
        .values_list("member_id", "last")
    )
    contacts = dict(
        ContactLog.objects.visible_to(actor, Action.VIEW)
        .filter(contacted_on__lte=today, **in_subtree)
        .values("member_id")
        .annotate(last=Max("contacted_on"))
        .values_list("member_id", "last")
    )
    away = {
        row[0]: row[1:]
        for row in MobileRecord.objects.visible_to(actor, Action.VIEW)
        .filter(returned_on__isnull=True, left_on__lte=today, **in_subtree)
        .values_list("member_id", "destination", "host_org", "card_number", "left_on")
    }
    letters = list(
        Transfer.objects.visible_to(actor, Action.VIEW)
        .filter(
            status=Transfer.Status.ISSUED,
            from_org__path__gte=low,
            from_org__path__lte=high,
            valid_until__lt=today,
        )
        .values_list("member_id", "member_name", "valid_until", "from_org__short_name")
    )

    result: list[Warning] = []
    for member_id, name, path, branch, joined_on, lost, lost_since, mobile, destination in members:

        def warn(topic, count, level, rule, text, who=(member_id, name, branch)):
            result.append(Warning(*who, topic, count, level, rule, text))

        # ZB-26: no organisational life
        own = [last for activity_path, last in attended.get(member_id, ()) if activity_path.startswith(path)]
        last_present = max(own, default=None)
        last_excused = max(
            (last for activity_path, last in excused.get(member_id, ()) if activity_path.startswith(path)),
            default=None,
        )
        covered = max((d for d in (last_present, last_excused) if d), default=None)
        start = first_activity.get(path)
        if start is not None and joined_on is not None:
            start = max(start, joined_on)
        run = streak(
            last_covered=months.first(covered) if covered else None,
            start=months.first(start) if start else None,
            upto=month,
        )
        on_leave = _leave_months(leaves.get(member_id, ()), path, last_present)
        if level_of(run):
            since = f"最后一次出席是{last_present:%Y-%m-%d}" if last_present else "本支部有记录以来未出席"
            warn(
                "组织生活",
                run,
                level_of(run),
                "《中国共产党党员教育管理工作条例》第三十一条",
                f"连续{run}个月无正当理由未参加组织生活（{since}{on_leave}）"
                + ("，请支委会研究处理。" if run >= CASE_AT else "。"),
            )
        # ZB-26 / DF-11: no dues
        run = ledger.unpaid_streak(member_id, joined_on, last_paid.get(member_id), month)
        if level_of(run):
            warn(
                "党费",
                run,
                level_of(run),
                "党章第九条；《中国共产党党员教育管理工作条例》第三十一条",
                f"连续{run}个月未交纳党费" + ("，请支委会研究处理。" if run >= CASE_AT else "。"),
            )
        # ZB-25: lost contact
        last_contact = contacts.get(member_id)
        if lost:
            since = max(d for d in (lost_since, last_contact) if d) if (lost_since or last_contact) else None
            count = _months_since(since, today) if since else None
            if count is not None and count >= LOST_CONTACT_MONTHS:
                warn(
                    "失联",
                    count,
                    "case",
                    "《中国共产党党员教育管理工作条例》第二十四条",
                    f"失联{count}个月（最后联系{since:%Y-%m-%d}），请党组织研究是否停止党籍。",
                )
            else:
                warn(
                    "失联",
                    count,
                    "notice",
                    "《中国共产党党员教育管理工作条例》第二十四条",
                    "已标记失联"
                    + (f"{count}个月" if count is not None else "")
                    + "，满6个月仍无法取得联系的，提请研究停止党籍。",
                )
        # LD-06…08: mobile members
        record = away.get(member_id)
        if record or mobile:
            where = record[0] if record else destination
            since = last_contact or (record[3] if record else None)
            count = _months_since(since, today) if since else None
            if count is None or count >= MOBILE_CONTACT_MONTHS:
                warn(
                    "流动党员",
                    count,
                    "warn5",
                    "《中国共产党党员教育管理工作条例》",
                    f"流动党员（{where}）"
                    + (f"已{count}个月未与支部联系" if count is not None else "没有联系记录")
                    + "，每年至少联系一次。",
                )
            if record and add_months(record[3], MOBILE_TRANSFER_MONTHS) <= today and not record[2]:
                warn(
                    "流动党员",
                    _months_since(record[3], today),
                    "notice",
                    "《中国共产党党员教育管理工作条例》第二十五条",
                    f"外出已满6个月（{record[3]:%Y-%m-%d}起，{where}），未持活动证，应转移组织关系。",
                )
    for member_id, name, valid_until, branch in letters:
        result.append(
            Warning(
                member_id,
                name,
                branch or "",
                "组织关系",
                None,
                "warn5",
                "组织关系介绍信有效期（本地规定）",
                f"组织关系介绍信已于{valid_until:%Y-%m-%d}过期，尚未接收，请核实并重新开具。",
            )
        )
    return result
