"""Dues facts for a set of members, loaded in a few queries and answered in memory.

Used by the payment service (one member), the roll (a subtree of 20,000 members) and the watch page alike, so the
rules (which base applies in a month, exemptions, rounding, when the obligation starts, how long an unpaid streak
is) live in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from zhibu.core import months
from zhibu.orgs.models import Organisation
from zhibu.orgs.selectors import nearest

from .brackets import DEFAULT_ROUNDING, cached_amount
from .models import DuesBase, DuesSettings, Exemption

# ZB-26 / DF-11: warnings at 3 and 5 consecutive months, a case for the committee at 6.
WARN_FIRST, WARN_SECOND, CASE_AT = 3, 5, 6


@dataclass(frozen=True)
class Profile:
    effective_month: date
    income_type: str
    base: Decimal | None
    chosen: Decimal | None
    period: str
    period_approved_on: date | None


@dataclass(frozen=True)
class Relief:
    kind: str
    reduced: Decimal | None
    from_month: date
    to_month: date


def level_of(streak: int | None) -> str:
    """'' (nothing), 'warn3', 'warn5' or 'case' for a run of consecutive months."""
    if streak is None or streak < WARN_FIRST:
        return ""
    if streak >= CASE_AT:
        return "case"
    return "warn5" if streak >= WARN_SECOND else "warn3"


LEVEL_LABELS = {"warn3": "提醒", "warn5": "警告", "case": "提请支委会研究"}
LEVEL_BADGES = {"warn3": "badge-yellow", "warn5": "badge-red", "case": "badge-red"}


def streak(*, last_covered: date | None, start: date | None, upto: date) -> int | None:
    """Consecutive months without cover, ending with `upto`: months after the last covered month (and not
    before the obligation started). None when the obligation has no start yet."""
    if start is None:
        return None
    first_open = start if last_covered is None else max(start, months.add(last_covered, 1))
    return max(0, months.between(first_open, upto) + 1)


def rounding_map(paths, under=None) -> dict[str, Decimal]:
    """The rounding quantum for each organisation path: its own setting or its nearest ancestor's. With `under`
    (an organisation above all the paths) one range query replaces a list of every prefix."""
    paths = set(paths)
    if under is not None:
        low, high = under.subtree_bounds()
        ancestors = under.ancestor_paths()
        found = dict(
            DuesSettings.objects.unscoped()  # the settings above and below `under`, which the caller holds
            .filter(Q(org__path__in=ancestors) | Q(org__path__gte=low, org__path__lte=high))
            .values_list("org__path", "rounding")
        )
    else:
        prefixes = {prefix for path in paths for prefix in Organisation.path_chain(path)}
        found = dict(
            DuesSettings.objects.unscoped()
            .filter(org__path__in=prefixes)
            .values_list("org__path", "rounding")
        )
    if not found:
        return dict.fromkeys(paths, DEFAULT_ROUNDING)
    result = {}
    for path in paths:
        quantum = DEFAULT_ROUNDING
        for prefix in reversed(Organisation.path_chain(path)):
            if prefix in found:
                quantum = Decimal(found[prefix])
                break
        result[path] = quantum
    return result


def letter_valid_months(org) -> int:
    settings = nearest(DuesSettings, org)
    return settings.letter_valid_months if settings else 3


class Ledger:
    def __init__(
        self,
        *,
        bases: dict[int, list[Profile]],
        reliefs: dict[int, list[Relief]],
        rounding: dict[str, Decimal],
    ):
        self.bases = bases
        self.reliefs = reliefs
        self.rounding = rounding

    @classmethod
    def load(
        cls, *, actor, action: str, member_filter: dict, branch_paths, upto: date | None = None, under=None
    ) -> Ledger:
        """`member_filter` restricts by member (e.g. {"member_id": 5} or a subtree range on member__branch__path)."""
        base_rows = DuesBase.objects.visible_to(actor, action).filter(**member_filter)
        if upto is not None:
            base_rows = base_rows.filter(effective_month__lte=upto)
        bases: dict[int, list[Profile]] = defaultdict(list)
        for row in base_rows.values_list(
            "member_id",
            "effective_month",
            "income_type",
            "base",
            "chosen_amount",
            "period",
            "period_approved_on",
        ):
            bases[row[0]].append(Profile(*row[1:]))
        for rows in bases.values():
            if len(rows) > 1:
                rows.sort(key=lambda p: p.effective_month)
        reliefs: dict[int, list[Relief]] = defaultdict(list)
        for row in (
            Exemption.objects.visible_to(actor, action)
            .filter(**member_filter)
            .values_list("member_id", "kind", "reduced_amount", "from_month", "to_month")
        ):
            reliefs[row[0]].append(Relief(*row[1:]))
        return cls(bases=bases, reliefs=reliefs, rounding=rounding_map(branch_paths, under))

    def profile(self, member_id: int, month: date) -> Profile | None:
        rows = self.bases.get(member_id)
        if not rows:
            return None
        if len(rows) == 1:
            return rows[0] if rows[0].effective_month <= month else None
        chosen = None
        for profile in rows:
            if profile.effective_month <= month:
                chosen = profile
            else:
                break
        return chosen

    def first_base_month(self, member_id: int) -> date | None:
        rows = self.bases.get(member_id)
        return rows[0].effective_month if rows else None

    def relief(self, member_id: int, month: date) -> Relief | None:
        if not self.reliefs:
            return None
        for relief in self.reliefs.get(member_id, ()):
            if relief.from_month <= month <= relief.to_month:
                return relief
        return None

    def last_exempt_month(self, member_id: int, upto: date) -> date | None:
        """The latest month up to `upto` covered by a full exemption (免交)."""
        latest = None
        if not self.reliefs:
            return None
        for relief in self.reliefs.get(member_id, ()):
            if relief.kind == Exemption.Kind.EXEMPT and relief.from_month <= upto:
                end = min(relief.to_month, upto)
                latest = end if latest is None else max(latest, end)
        return latest

    def standard_due(self, member_id: int, branch_path: str, month: date) -> Decimal | None:
        profile = self.profile(member_id, month)
        if profile is None:
            return None
        return cached_amount(
            profile.income_type,
            profile.base,
            profile.chosen,
            month,
            self.rounding.get(branch_path, DEFAULT_ROUNDING),
        )

    def due(self, member_id: int, branch_path: str, month: date) -> Decimal | None:
        """What the member owes for the month after any exemption or reduction; None without a base."""
        amount = self.standard_due(member_id, branch_path, month)
        if amount is None:
            return None
        relief = self.relief(member_id, month)
        if relief is not None:
            if relief.kind == Exemption.Kind.EXEMPT:
                return Decimal("0.00")
            return min(amount, relief.reduced)
        return amount

    def obligation_start(self, member_id: int, joined_on: date | None) -> date | None:
        """Dues are owed from the month of 入党日期 (DF-09), and counted from the first base on record."""
        first_base = self.first_base_month(member_id)
        if first_base is None:
            return None
        return max(first_base, months.first(joined_on)) if joined_on else first_base

    def unpaid_streak(
        self, member_id: int, joined_on: date | None, last_paid: date | None, upto: date
    ) -> int | None:
        covered = last_paid
        exempt = self.last_exempt_month(member_id, upto)
        if exempt is not None and (covered is None or exempt > covered):
            covered = exempt
        return streak(last_covered=covered, start=self.obligation_start(member_id, joined_on), upto=upto)
