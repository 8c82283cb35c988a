"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

import factory
from django.utils import timezone

from zhibu.accounts.models import User
from zhibu.core.crypto import digest
from zhibu.orgs.models import Organisation, OrgType, RoleAssignment
from zhibu.people import idnumber
from zhibu.people.models import Member, Status, StatusEvent
from zhibu.people.services import _derive_status, pinyin_of
from zhibu.records.models import Activity, ActivityKind, Attendance

_sequence = itertools.count(1)
PASSWORD = "zhibu-test-password"


def org_type(code: str) -> OrgType:
    return OrgType.objects.get(code=code)


def make_org(
    code: str, name: str, *, parent: Organisation | None = None, type_code: str = "branch"
) -> Organisation:
    node = Organisation(code=code, name=name, short_name=name[:20], type=org_type(type_code))
    return (
        Organisation.objects.add_child(parent, instance=node)
        if parent
        else Organisation.objects.add_root(instance=node)
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def grant(user: User, org: Organisation, role: str) -> RoleAssignment:
    from zhibu.orgs import scoping

    scoping.forget(user)
    return RoleAssignment.objects.create(user=user, org=org, role=role)


def make_member(
    branch: Organisation,
    name: str,
    *,
    status: str = Status.FULL,
    joined: date = date(2015, 6, 1),
    birth: date | None = None,
    gender_seq: int | None = None,
    party_group=None,
    party_post: str = "",
    user: User | None = None,
    phone: str = "",
    **fields,
) -> Member:
    """A member with a valid ID number and a plausible status history, written without audit (test data)."""
    n = next(_sequence)
    birth = birth or date(1980 + n % 20, 1 + n % 12, 1 + n % 27)
    seq = gender_seq if gender_seq is not None else (n % 500) * 2 + 2  # even: female
    id_number = idnumber.make("371102", birth, seq % 1000)
    parsed = idnumber.parse(id_number)
    full_pinyin, initials = pinyin_of(name)
    member = Member(
        branch=branch,
        name=name,
        id_number=id_number,
        id_digest=digest(id_number),
        birth_date=parsed.birth_date,
        gender=parsed.gender,
        name_pinyin=full_pinyin,
        name_initials=initials,
        party_group=party_group,
        party_post=party_post,
        user=user,
        phone=phone,
        status=status,
        **fields,
    )
    member.save()
    history = _history_for(status, joined)
    StatusEvent.objects.unscoped().bulk_create(
        [StatusEvent(member=member, status=s, on=d, source="test") for s, d in history]
    )
    _derive_status(member)
    return member


def _history_for(status: str, joined: date) -> list[tuple[str, date]]:
    order = [Status.APPLICANT, Status.ACTIVIST, Status.CANDIDATE, Status.PROBATIONARY, Status.FULL]
    offsets = {
        Status.APPLICANT: -800,
        Status.ACTIVIST: -700,
        Status.CANDIDATE: -300,
        Status.PROBATIONARY: 0,
        Status.FULL: 366,
    }
    upto = order.index(status)
    return [(s, joined + timezone.timedelta(days=offsets[s])) for s in order[: upto + 1]]


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.shipped().get(code=code)


def make_activity(
    org: Organisation,
    kind_code: str,
    on: date,
    *,
    topic: str = "",
    present=(),
    absent=(),
    recorded_at: datetime | None = None,
    **fields,
) -> Activity:
    """An activity with attendance, saved directly (test data, no audit)."""
    tz = timezone.get_current_timezone()
    starts = timezone.make_aware(datetime.combine(on, time(14, 0)), tz)
    activity = Activity(
        org=org,
        kind=kind(kind_code),
        topic=topic or f"{on:%Y年%m月}{kind(kind_code).name}",
        starts_at=starts,
        ends_at=starts + timezone.timedelta(hours=1),
        held_on=on,
        expected_count=len(present) + len(absent),
        present_count=len(present),
        **fields,
    )
    if recorded_at is not None:
        activity.recorded_at = recorded_at
    activity.save()
    Attendance.objects.unscoped().bulk_create(
        [Attendance(activity=activity, member=m, presence="present") for m in present]
        + [Attendance(activity=activity, member=m, presence="absent") for m in absent]
    )
    return activity
