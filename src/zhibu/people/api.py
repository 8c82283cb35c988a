"""The roster over REST: the same selectors and services as the pages, the same scope and validation.

Schemas check shape only; every field is optional in the body so that scope is checked before any rule,
and values (dates, codes) are read by the same parsers as the import, with Chinese messages (422).
Personal data is masked; `GET /{id}?full=1` returns it in full to holders of Action.PII, audited.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja import Status as Reply

from zhibu.core.apischema import Id, Limit, Offset
from zhibu.orgs import scoping
from zhibu.orgs.roles import Action

from . import selectors, services
from .codes import ethnicity_name
from .columns import BY_HEADER, HEADER_OF, CellError, a_date
from .models import Member

router = Router(tags=["党员"])


class MemberOut(Schema):
    id: int
    name: str
    branch: str
    party_group: str | None
    gender: str
    birth_date: str  # the year only unless the personal data was revealed
    ethnicity: str
    ethnicity_name: str
    education: str
    status: str
    status_label: str
    joined_on: date | None
    confirmed_on: date | None
    post: str
    party_post: str
    standing: str
    lost_contact: bool
    mobile: bool
    id_number: str
    phone: str
    address: str
    masked: bool


class StatusEventOut(Schema):
    status: str
    on: date
    note: str


class MemberDetailOut(MemberOut):
    history: list[StatusEventOut]


class MemberIn(Schema):
    """Create: `org` is the branch code; status and dates as on the form (dates as YYYY-MM-DD)."""

    org: str = ""
    name: str = ""
    id_number: str = ""
    gender: str = ""
    birth_date: str = ""
    ethnicity: str = ""
    education: str = ""
    status: str = ""
    applied_on: str = ""
    activist_on: str = ""
    candidate_on: str = ""
    joined_on: str = ""
    confirmed_on: str = ""
    post: str = ""
    phone: str = ""
    address: str = ""
    party_group: str = ""
    party_post: str = ""
    standing: str = ""
    lost_contact: bool = False
    lost_contact_since: str = ""
    mobile: bool = False
    mobile_destination: str = ""


class MemberPatch(Schema):
    """Update: only the fields sent are changed. `null` clears `party_group` and `lost_contact_since`; the other
    fields cannot be empty in that way (send "" to clear a text)."""

    name: str | None = None
    id_number: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    post: str | None = None
    phone: str | None = None
    address: str | None = None
    party_group: str | None = None
    party_post: str | None = None
    standing: str | None = None
    lost_contact: bool | None = None
    lost_contact_since: str | None = None
    mobile: bool | None = None
    mobile_destination: str | None = None


class StatusIn(Schema):
    status: str = ""
    on: str = ""
    note: str = ""


def _out(member: Member, full: dict | None = None, history: bool = False) -> dict:
    data = {
        "id": member.pk,
        "name": member.name,
        "branch": member.branch.code,
        "party_group": member.party_group.code if member.party_group_id else None,
        "gender": member.gender,
        "birth_date": ""
        if member.birth_date is None
        else (member.birth_date.isoformat() if full else str(member.birth_date.year)),
        "ethnicity": member.ethnicity,
        "ethnicity_name": ethnicity_name(member.ethnicity),
        "education": member.education,
        "status": member.status,
        "status_label": member.get_status_display(),
        "joined_on": member.joined_on,
        "confirmed_on": member.confirmed_on,
        "post": member.post,
        "party_post": member.party_post,
        "standing": member.standing,
        "lost_contact": member.lost_contact,
        "mobile": member.mobile,
        "id_number": full["id_number"] if full else member.id_number_masked,
        "phone": full["phone"] if full else member.phone_masked,
        "address": full["address"] if full else member.address_masked,
        "masked": full is None,
    }
    if history:
        data["history"] = [
            {"status": e.status, "on": e.on, "note": e.note} for e in member.status_events.all()
        ]
    return data


_NULLABLE = ("party_group", "lost_contact_since")
_DATE_FIELDS = ("birth_date", "lost_contact_since", *services.DATE_KEYS)


def _read(values: dict, branch) -> dict:
    """Read API values with the import's parsers: dates, codes given as labels or codes, the 党小组 by code."""
    errors: dict[str, str] = {}
    result = {}
    for key, value in values.items():
        try:
            if key in _DATE_FIELDS:
                result[key] = a_date(value) if value else None
            elif key == "party_group":
                result[key] = _group(branch, value) if value else None
            elif key in HEADER_OF and key not in ("phone", "address", "name", "post", "mobile_destination"):
                result[key] = BY_HEADER[HEADER_OF[key]].read(value)
            else:
                result[key] = value.strip() if isinstance(value, str) else value
        except CellError as exc:
            errors[key] = str(exc)
    if errors:
        raise ValidationError(errors)
    return result


def _group(branch, code: str):
    group = next((g for g in selectors.party_groups(branch) if code in (g.code, g.name, g.short_name)), None)
    if group is None:
        raise CellError(f"本支部没有“{code}”这个党小组。")
    return group


ID_IN_ADDRESS = (
    "公民身份号码不能放在地址中（会进入访问日志）：请改用 POST /api/v1/people/search，"
    "把号码放在请求内容的 q 中。"
)


@router.get("/", response=list[MemberOut], url_name="people_list")
def member_list(
    request, org: str = "", q: str = "", status: str = "", limit: Limit = 100, offset: Offset = 0
):
    """Members visible to the caller, optionally of one organisation (code), searched by name or pinyin and
    filtered. A search by ID number goes by `POST /search` (a number in the address is refused)."""
    if selectors.id_search_token(q):
        raise ValidationError({"q": [ID_IN_ADDRESS]})
    scope = scoping.get_org(request.user, Action.VIEW, org) if org else None
    members = selectors.member_list(request.user, scope, q=q, status=status)
    return [_out(m) for m in members[offset : offset + limit]]


class SearchIn(Schema):
    q: str = ""
    org: str = ""
    status: str = ""
    limit: Limit = 100
    offset: Offset = 0


@router.post("/search", response=list[MemberOut], url_name="people_search")
def member_search(request, payload: SearchIn):
    """The same search as `GET /`, with the text in the request body: for an ID number, which must stay out of
    addresses and access logs. Reads only."""
    scope = scoping.get_org(request.user, Action.VIEW, payload.org) if payload.org else None
    members = selectors.member_list(request.user, scope, q=payload.q, status=payload.status)
    return [_out(m) for m in members[payload.offset : payload.offset + payload.limit]]


@router.get("/{int:member_id}", response=MemberDetailOut, url_name="people_detail")
def member_detail(request, member_id: Id, full: bool = False):
    member = selectors.member_get(request.user, member_id)
    revealed = services.member_reveal(actor=request.user, member=member) if full else None
    return _out(member, revealed, history=True)


@router.post("/", response={201: MemberDetailOut}, url_name="people_create")
def member_create(request, payload: MemberIn):
    branch = scoping.get_org(request.user, Action.MEMBERS, payload.org)
    values = _read(payload.dict(exclude={"org"}), branch)
    history = services.history_from_dates(
        values.pop("status") or "", {k: values.pop(k) for k in services.DATE_KEYS}
    )
    fields = {k: v for k, v in values.items() if v not in (None, "")}
    member = services.member_create(actor=request.user, branch=branch, history=history, **fields)
    return Reply(201, _out(selectors.member_get(request.user, member.pk), history=True))


@router.patch("/{int:member_id}", response=MemberDetailOut, url_name="people_update")
def member_update(request, member_id: Id, payload: MemberPatch):
    member = selectors.member_get(request.user, member_id, Action.MEMBERS)
    sent = payload.dict(exclude_unset=True)
    nulls = {
        key: ["不能为 null；不修改请省略该字段。"]
        for key, value in sent.items()
        if value is None and key not in _NULLABLE
    }
    if nulls:
        raise ValidationError(nulls)
    values = _read(sent, member.branch)
    services.member_update(actor=request.user, member=member, **values)
    return _out(selectors.member_get(request.user, member.pk), history=True)


@router.post("/{int:member_id}/status", response={201: MemberDetailOut}, url_name="people_status_add")
def status_add(request, member_id: Id, payload: StatusIn):
    member = selectors.member_get(request.user, member_id, Action.MEMBERS)
    try:
        on = a_date(payload.on) if payload.on else None
    except CellError as exc:
        raise ValidationError({"on": str(exc)}) from exc
    services.member_status_record(
        actor=request.user, member=member, status=payload.status, on=on, note=payload.note
    )
    return Reply(201, _out(selectors.member_get(request.user, member.pk), history=True))
