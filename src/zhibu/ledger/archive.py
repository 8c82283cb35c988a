"""A member's archive (电子档案): everything zhibu holds about one member, gathered from the apps' records.

A secretary (or anyone who may view the branch) sees the branch's members; a member sees their own. Personal
data stays masked here; revealing it goes through the roster's audited reveal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from zhibu.appraisal.models import MemberGrade
from zhibu.development.models import Case, Document, StepRecord
from zhibu.dues.models import DuesPayment
from zhibu.membership.models import Transfer
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action
from zhibu.people.models import Member, StatusEvent
from zhibu.records.models import Attendance
from zhibu.reports.export import report_docx


@dataclass
class Archive:
    member: Member
    events: list
    case: Case | None
    steps: list
    documents: list
    attendance: list[dict]
    payments: list
    paid_by_year: list[dict]
    grades: list
    transfers: list


def get_member(actor, pk: int) -> tuple[Member, bool]:
    """The member and whether the actor reads as the branch (True) or as the member themself (False)."""
    member = Member.objects.visible_to(actor, Action.VIEW).select_related("branch").filter(pk=pk).first()
    if member is not None:
        return member, True
    own = Member.objects.own(actor).select_related("branch").filter(pk=pk).first()
    if own is not None:
        return own, False
    raise scoping.NotVisible("不存在或无权访问。")


def own_member(actor) -> Member:
    member = Member.objects.unscoped().filter(user_id=getattr(actor, "pk", None)).first()
    if member is None:
        raise scoping.NotVisible("不存在或无权访问。")
    return member


def _rows(model, actor, as_branch: bool):
    return model.objects.visible_to(actor, Action.VIEW) if as_branch else model.objects.unscoped()


def archive(actor, pk: int) -> Archive:
    member, as_branch = get_member(actor, pk)
    events = list(_rows(StatusEvent, actor, as_branch).filter(member=member).order_by("on", "id"))
    case = _rows(Case, actor, as_branch).filter(member=member).first()
    steps = (
        list(_rows(StepRecord, actor, as_branch).filter(case=case).order_by("on", "step", "round"))
        if case
        else []
    )
    documents = (
        list(_rows(Document, actor, as_branch).filter(case=case).order_by("uploaded_at")) if case else []
    )
    attendance = list(
        _rows(Attendance, actor, as_branch)
        .filter(member=member)
        .values("activity__held_on__year")
        .annotate(
            total=Count("id"),
            present=Count("id", filter=Q(presence=Attendance.Presence.PRESENT)),
            leave=Count("id", filter=Q(presence=Attendance.Presence.LEAVE)),
            absent=Count("id", filter=Q(presence=Attendance.Presence.ABSENT)),
        )
        .order_by("-activity__held_on__year")
    )
    payments = list(_rows(DuesPayment, actor, as_branch).filter(member=member).order_by("-month", "-id"))
    by_year: dict[int, dict] = defaultdict(lambda: {"months": 0, "amount": 0})
    for year, months, amount in (
        _rows(DuesPayment, actor, as_branch)
        .filter(member=member)
        .values_list("month__year")
        .annotate(Count("id"), Sum("amount"))
        .order_by("-month__year")
    ):
        by_year[year] = {"year": year, "months": months, "amount": amount}
    grades = list(_rows(MemberGrade, actor, as_branch).filter(member=member).order_by("-year"))
    transfers = list(
        _rows(Transfer, actor, as_branch)
        .filter(member=member)
        .select_related("from_org", "to_org")
        .order_by("issued_on", "id")
    )
    return Archive(
        member=member,
        events=events,
        case=case,
        steps=steps,
        documents=documents,
        attendance=[
            {
                "year": a["activity__held_on__year"],
                **{k: a[k] for k in ("total", "present", "leave", "absent")},
            }
            for a in attendance
        ],
        payments=payments,
        paid_by_year=list(by_year.values()),
        grades=grades,
        transfers=transfers,
    )


def archive_docx(a: Archive) -> bytes:
    m = a.member
    blocks = [
        {"kind": "title", "text": f"党员电子档案：{m.name}"},
        {"kind": "author", "text": m.branch.name},
        {"kind": "h1", "text": "一、基本情况"},
        {
            "kind": "p",
            "text": "\n".join(
                [
                    f"姓名：{m.name}　性别：{m.get_gender_display()}　民族：{m.get_ethnicity_display()}",
                    f"出生年份：{m.birth_date.year}年　学历：{m.get_education_display() or '未登记'}",
                    f"公民身份号码：{m.id_number_masked}　联系电话：{m.phone_masked or '未登记'}",
                    f"人员类别：{m.get_status_display()}　入党日期：{m.joined_on or '—'}　转正日期：{m.confirmed_on or '—'}",
                    f"党内职务：{m.get_party_post_display() or '无'}",
                ]
            ),
        },
        {"kind": "h1", "text": "二、人员类别变化"},
        {
            "kind": "p",
            "text": "\n".join(
                f"{e.on:%Y年%m月%d日}　{e.get_status_display()}{('　' + e.note) if e.note else ''}"
                for e in a.events
            )
            or "无记录。",
        },
        {"kind": "h1", "text": "三、发展过程"},
        {
            "kind": "p",
            "text": "\n".join(
                [f"{s.on:%Y年%m月%d日}　{s.name}" for s in a.steps] + [f"材料：{d.name}" for d in a.documents]
            )
            or "无记录。",
        },
        {"kind": "h1", "text": "四、参加组织生活"},
        {
            "kind": "p",
            "text": "\n".join(
                f"{r['year']}年：应参加{r['total']}次，出席{r['present']}次，"
                f"请假{r['leave']}次，缺席{r['absent']}次"
                for r in a.attendance
            )
            or "无记录。",
        },
        {"kind": "h1", "text": "五、交纳党费"},
        {
            "kind": "p",
            "text": "\n".join(
                f"{r['year']}年：交纳{r['months']}笔，共{r['amount']}元" for r in a.paid_by_year
            )
            or "无记录。",
        },
        {"kind": "h1", "text": "六、民主评议"},
        {
            "kind": "p",
            "text": "\n".join(f"{g.year}年：{g.get_grade_display()}" for g in a.grades) or "无记录。",
        },
        {"kind": "h1", "text": "七、组织关系转接"},
        {
            "kind": "p",
            "text": "\n".join(
                f"{t.issued_on:%Y年%m月%d日}　{t.get_kind_display()}　"
                f"{t.from_org or t.outside_org or ''} → {t.to_org or t.outside_org or ''}　{t.get_status_display()}"
                for t in a.transfers
            )
            or "无记录。",
        },
    ]
    return report_docx({"blocks": blocks}, title=f"党员电子档案：{m.name}", author=m.branch.name)
