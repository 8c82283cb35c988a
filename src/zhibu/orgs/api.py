from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from . import scoping, selectors, services
from .models import Organisation, OrgType
from .roles import Action

router = Router(tags=["组织"])


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    type: str
    parent: str | None
    depth: int
    secretary_name: str
    contact_name: str
    contact_phone: str
    founded_on: date | None
    dissolved_on: date | None
    live_from: date | None = Field(
        None, description="启用日期：此前的月份不亮灯（未启用），为这些月份补录的记录作为历史资料"
    )


class OrgIn(Schema):
    parent: str
    type: str
    code: str
    name: str
    short_name: str = ""
    secretary_name: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    founded_on: date | None = None
    live_from: date | None = None


class OrgPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    secretary_name: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    founded_on: date | None = None
    live_from: date | None = Field(None, description="启用日期（由上级组织设置）；null 为清除")


class MoveIn(Schema):
    new_parent: str


class DissolveIn(Schema):
    on: date
    reason: str = ""


def _out(org: Organisation, parents: dict[str, str]) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "type": org.type.name,
        "parent": parents.get(Organisation.parent_path_of(org.path)),
        "depth": org.depth,
        "secretary_name": org.secretary_name,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "founded_on": org.founded_on,
        "dissolved_on": org.dissolved_on,
        "live_from": org.live_from,
    }


@router.get("/", response=list[OrgOut], url_name="orgs_list")
def list_orgs(request, root: str | None = None):
    """Every organisation the caller can see (or the subtree of `root`), in tree order."""
    if root:
        org = scoping.get_org(request.user, Action.VIEW, root)
        nodes = list(selectors.subtree(request.user, org))
    else:
        if not scoping.prefixes(request.user, Action.VIEW):
            raise Http404
        nodes = list(scoping.organisations(request.user, Action.VIEW).order_by("path"))
    parent_paths = {Organisation.parent_path_of(n.path) for n in nodes if n.depth > 1}
    parents = dict(Organisation.objects.filter(path__in=parent_paths).values_list("path", "code"))
    return [_out(n, parents) for n in nodes]


def _one(org: Organisation) -> dict:
    parent = Organisation.objects.get_parent(org)
    return _out(org, {parent.path: parent.code} if parent else {})


@router.get("/{code}", response=OrgOut, url_name="orgs_detail")
def get_org(request, code: str):
    return _one(scoping.get_org(request.user, Action.VIEW, code))


@router.post("/", response={201: OrgOut}, url_name="orgs_create")
def create_org(request, payload: OrgIn):
    parent = scoping.get_org(request.user, Action.ORG, payload.parent)
    org_type = get_object_or_404(OrgType, code=payload.type)
    data = payload.dict(exclude={"parent", "type", "code", "name"})
    org = services.org_create(
        actor=request.user, parent=parent, type=org_type, code=payload.code, name=payload.name, **data
    )
    return Status(201, _one(org))


@router.patch("/{code}", response=OrgOut, url_name="orgs_update")
def update_org(request, code: str, payload: OrgPatch):
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    org = services.org_update(actor=request.user, org=org, **payload.dict(exclude_unset=True))
    return _one(org)


@router.post("/{code}/move", response=OrgOut, url_name="orgs_move")
def move_org(request, code: str, payload: MoveIn):
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    target = scoping.get_org(request.user, Action.ORG, payload.new_parent)
    return _one(services.org_move(actor=request.user, org=org, new_parent=target))


@router.post("/{code}/dissolve", response=OrgOut, url_name="orgs_dissolve")
def dissolve_org(request, code: str, payload: DissolveIn):
    org = scoping.get_org(request.user, Action.STRUCTURE, code)
    services.org_dissolve(actor=request.user, org=org, on=payload.on, reason=payload.reason)
    return _one(Organisation.objects.get(pk=org.pk))


# ---------------------------------------------------------------------------------------------- posts and terms


class PostIn(Schema):
    member_id: int
    post: str


class ElectionIn(Schema):
    held_on: date
    posts: list[PostIn]
    term_years: int | None = None
    delay_approval: str = ""
    confirm: bool = False


def _posts_data(org: Organisation, on: date) -> dict:
    term = selectors.term_state(org, on=on)
    return {
        "org": org.code,
        "on": on,
        "holders": [
            {
                "member_id": h.member_id,
                "name": h.name,
                "post": h.post,
                "post_label": h.post_label,
                "started_on": h.started_on,
                "ended_on": h.ended_on,
            }
            for h in selectors.post_holders(org, on=on)
        ],
        "has_committee": selectors.has_committee(org, on=on),
        "term": {
            "state": term.state,
            "ends_on": term.ends_on,
            "remind_from": term.remind_from,
            "text": term.text,
        },
    }


@router.get("/{code}/posts", url_name="orgs_posts")
def posts(request, code: str, on: date | None = None):
    """Who held the branch's posts on a day (default today), whether it has a 支部委员会, and its term."""
    org = scoping.get_org(request.user, Action.VIEW, code)
    return _posts_data(org, on or timezone.localdate())


@router.post("/{code}/elections", response={201: dict}, url_name="orgs_elect")
def elect(request, code: str, payload: ElectionIn):
    """Record a 换届: the new posts start on `held_on`, the previous ones end the day before."""
    org = scoping.get_org(request.user, Action.MEMBERS, code)
    election = services.committee_elect(
        actor=request.user,
        org=org,
        held_on=payload.held_on,
        posts=[(p.member_id, p.post) for p in payload.posts],
        term_years=payload.term_years,
        delay_approval=payload.delay_approval,
        confirm=payload.confirm,
    )
    return Status(
        201,
        {
            "id": election.pk,
            "term_ends_on": election.term_ends_on,
            "has_committee": election.has_committee,
            "confirmed": election.confirmed_warnings,
            **_posts_data(org, payload.held_on),
        },
    )
