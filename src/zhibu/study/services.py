"""Study writes: points import, the ranking switch, a branch's own target, political-study notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhibu.audit import services as audit
from zhibu.orgs import scoping
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member
from zhibu.records.models import Activity

from . import importing
from .models import RankingSetting, StudyNote, StudyPoints, StudyTarget


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    first_day: date | None = None
    last_day: date | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    unmatched: dict[str, list[int]] = field(default_factory=dict)  # name → row numbers
    ambiguous: dict[str, list[int]] = field(default_factory=dict)  # name → row numbers (same name twice)

    @property
    def saved(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def skipped(self) -> int:
        return sum(len(v) for v in self.unmatched.values()) + sum(len(v) for v in self.ambiguous.values())

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "columns": self.columns,
            "ignored_columns": self.ignored_columns,
            "unmatched": self.unmatched,
            "ambiguous": self.ambiguous,
        }


def _on_roster(member: Member, on: date) -> bool:
    return member.left_on is None or member.left_on >= on


def study_import(*, actor, org: Organisation, file, filename: str) -> ImportReport:
    """Import a 学习强国 export for one branch. A structural or value error saves nothing; names that match
    no member, or two members, are skipped and listed in the report; the rest is created or updated.
    The file is read and checked before the write transaction begins."""
    scoping.require(actor, Action.RECORD, org)
    if not org.is_branch:
        raise ValidationError("请在党支部一级导入学习强国积分（按本支部党员姓名匹配）。")
    filename = (filename or "").strip()[:200]
    parsed = importing.parse(file, filename, today=timezone.localdate())
    return _study_write(actor=actor, org=org, parsed=parsed, filename=filename)


@transaction.atomic
def _study_write(*, actor, org: Organisation, parsed: importing.Parsed, filename: str) -> ImportReport:
    report = ImportReport(
        filename=filename, rows=len(parsed.rows), columns=parsed.columns, ignored_columns=parsed.ignored
    )

    by_name: dict[str, list[Member]] = {}
    for member in Member.objects.visible_to(actor, Action.RECORD).filter(branch=org):
        by_name.setdefault(importing.normalise_name(member.name), []).append(member)

    wanted: dict[tuple[int, date], importing.Row] = {}
    for row in parsed.rows:
        candidates = [m for m in by_name.get(row.name, []) if _on_roster(m, row.on)]
        if not candidates:
            report.unmatched.setdefault(row.name, []).append(row.line)
        elif len(candidates) > 1:
            report.ambiguous.setdefault(row.name, []).append(row.line)
        else:
            wanted[(candidates[0].pk, row.on)] = row

    if wanted:
        days = [on for _, on in wanted]
        report.first_day, report.last_day = min(days), max(days)
        existing = {
            (p.member_id, p.on): p
            for p in StudyPoints.objects.visible_to(actor, Action.RECORD).filter(
                member__branch=org,
                member_id__in={m for m, _ in wanted},
                on__gte=report.first_day,
                on__lte=report.last_day,
            )
        }
        now = timezone.now()
        to_create, to_update = [], []
        for (member_id, on), row in wanted.items():
            current = existing.get((member_id, on))
            if current is None:
                to_create.append(
                    StudyPoints(
                        member_id=member_id,
                        on=on,
                        day_points=row.day_points,
                        total_points=row.total_points,
                        imported_at=now,
                        source_name=filename,
                    )
                )
            elif current.day_points == row.day_points and current.total_points == row.total_points:
                report.unchanged += 1
            else:
                current.day_points, current.total_points = row.day_points, row.total_points
                current.imported_at, current.source_name = now, filename
                to_update.append(current)
        StudyPoints.objects.unscoped().bulk_create(to_create, batch_size=2000)
        StudyPoints.objects.unscoped().bulk_update(
            to_update, ["day_points", "total_points", "imported_at", "source_name"], batch_size=2000
        )
        report.created, report.updated = len(to_create), len(to_update)
        # Re-select what was written through the actor's scope; any mismatch rolls the whole import back.
        written = (
            StudyPoints.objects.visible_to(actor, Action.RECORD)
            .filter(
                member__branch=org,
                on__gte=report.first_day,
                on__lte=report.last_day,
                member_id__in={m for m, _ in wanted},
            )
            .count()
        )
        if written < len(wanted):
            raise RuntimeError("study import wrote rows outside the actor's scope")

    audit.log(
        actor=actor,
        verb="study.import",
        target=org,
        detail={
            "filename": filename,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
            "first_day": report.first_day,
            "last_day": report.last_day,
        },
    )
    return report


@transaction.atomic
def ranking_switch(*, actor, org: Organisation, enabled: bool) -> RankingSetting:
    """A superior shows or hides the study ranking for its subtree (the nearest setting up the tree applies)."""
    scoping.require(actor, Action.SUPERVISE, org)
    setting = RankingSetting.objects.visible_to(actor, Action.SUPERVISE).filter(org=org).first()
    before = setting.enabled if setting else None
    if setting is None:
        setting = RankingSetting(org=org)
    setting.enabled = bool(enabled)
    setting.updated_by = actor if getattr(actor, "pk", None) else None
    setting.full_clean()
    setting.save()
    audit.log(
        actor=actor,
        verb="study.ranking_switch",
        target=setting,
        detail={"enabled": [before, setting.enabled]},
    )
    return setting


@transaction.atomic
def target_set(*, actor, org: Organisation, monthly_avg_points: int | None) -> StudyTarget | None:
    """A branch sets (or clears, with None) its own monthly average target. Never a per-person quota."""
    scoping.require(actor, Action.RECORD, org)
    if not org.is_branch:
        raise ValidationError("学习目标只能由党支部为本支部设置。")
    target = StudyTarget.objects.visible_to(actor, Action.RECORD).filter(org=org).first()
    before = target.monthly_avg_points if target else None
    if monthly_avg_points is None:
        if target is not None:
            target.delete()
            audit.log(
                actor=actor, verb="study.target_clear", target=org, detail={"monthly_avg_points": before}
            )
        return None
    if target is None:
        target = StudyTarget(org=org)
    target.monthly_avg_points = monthly_avg_points
    target.updated_by = actor if getattr(actor, "pk", None) else None
    target.full_clean()
    target.save()
    audit.log(
        actor=actor,
        verb="study.target_set",
        target=target,
        detail={"monthly_avg_points": [before, monthly_avg_points]},
    )
    return target


def may_write_note(actor, activity: Activity, member: Member | None) -> bool:
    """Who records at the organisation writes anyone's notes; a plain member writes only their own."""
    if scoping.can(actor, Action.RECORD, activity.org):
        return True
    return scoping.is_own(actor, member) and scoping.can(actor, Action.SCHEDULE, activity.org)


@transaction.atomic
def note_save(*, actor, activity: Activity, member: Member, text: str) -> StudyNote | None:
    """Write a member's notes on a political-study session; empty text removes an existing note."""
    scoping.require(actor, Action.SCHEDULE, activity.org)
    if not may_write_note(actor, activity, member):
        raise ValidationError({"member": "只能填写本人的学习笔记。"})
    text = (text or "").strip()
    note = (
        StudyNote.objects.visible_to(actor, Action.SCHEDULE).filter(activity=activity, member=member).first()
    )
    if not text:
        if note is None:
            raise ValidationError({"text": "学习笔记不能为空。"})
        chars = note.han_count
        note.delete()
        audit.log(
            actor=actor,
            verb="study.note_delete",
            target=activity,
            org_path=activity.org.path,
            detail={"member": member.name, "han_count": chars},
        )
        return None
    created = note is None
    if note is None:
        note = StudyNote(activity=activity, member=member)
    before = note.han_count
    note.text = text
    note.updated_by = actor if getattr(actor, "pk", None) else None
    note.full_clean()
    note.save()
    audit.log(
        actor=actor,
        verb="study.note_create" if created else "study.note_update",
        target=note,
        org_path=activity.org.path,
        detail={
            "member": member.name,
            "han_count": [before, note.han_count] if not created else note.han_count,
        },
    )
    return note
