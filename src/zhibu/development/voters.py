"""Who has the vote at a 支部大会 on a given day, read from the roster.

应到会有表决权的党员 = the branch's 正式党员 on that day (status history), less those who cannot vote: members under
留党察看 not yet restored (development.Discipline), and members whose 党籍 is stopped (停止党籍). 预备党员 have no
vote (党章第七条) and are counted only to say so. Members who left the branch on or before the day are not on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from zhibu.core.cn import date_cn
from zhibu.orgs.models import Organisation
from zhibu.orgs.roles import Action
from zhibu.people.models import Member, Status, StatusEvent

from .models import Discipline


@dataclass(frozen=True)
class Roll:
    on: date
    full: int
    probationary: int
    disciplined: list[str] = field(default_factory=list)
    suspended: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return self.full - len(self.disciplined) - len(self.suspended)

    @property
    def text(self) -> str:
        """The derivation as a sentence, e.g. 正式党员9人，其中留党察看1人，应到会有表决权党员8人。"""
        parts = [f"按{date_cn(self.on)}的花名册，正式党员{self.full}人"]
        if self.disciplined:
            parts.append(
                f"其中受留党察看处分尚未恢复党员权利{len(self.disciplined)}人（{'、'.join(self.disciplined)}）"
            )
        if self.suspended:
            parts.append(f"停止党籍{len(self.suspended)}人（{'、'.join(self.suspended)}）")
        parts.append(f"应到会有表决权党员{self.expected}人")
        sentence = "，".join(parts) + "。"
        if self.probationary:
            sentence += f"另有预备党员{self.probationary}人，没有表决权（党章第七条），不计入。"
        return sentence


def roll(actor, branch: Organisation, on: date) -> Roll:
    """The branch's voters on the day (three small queries)."""
    rows = list(
        Member.objects.visible_to(actor, Action.VIEW)
        .filter(branch=branch)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .values_list("pk", "name", "standing")
    )
    members = {pk: name for pk, name, _ in rows}
    standing = {pk: value for pk, _, value in rows}
    became: dict[int, set[str]] = {}
    for member_id, status in (
        StatusEvent.objects.visible_to(actor, Action.VIEW)
        .filter(member_id__in=members, on__lte=on, status__in=[Status.PROBATIONARY, Status.FULL])
        .values_list("member_id", "status")
    ):
        became.setdefault(member_id, set()).add(status)
    full = sorted((i for i, s in became.items() if Status.FULL in s), key=lambda i: members[i])
    probationary = [i for i, s in became.items() if Status.FULL not in s]
    disciplined = set(
        Discipline.objects.visible_to(actor, Action.VIEW)
        .filter(member_id__in=full, started_on__lte=on)
        .filter(Q(restored_on__isnull=True) | Q(restored_on__gt=on))
        .values_list("member_id", flat=True)
    )
    suspended = [i for i in full if i not in disciplined and standing.get(i) == Member.Standing.SUSPENDED]
    return Roll(
        on=on,
        full=len(full),
        probationary=len(probationary),
        disciplined=[members[i] for i in full if i in disciplined],
        suspended=[members[i] for i in suspended],
    )
