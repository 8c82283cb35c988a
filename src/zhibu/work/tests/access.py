"""Every URL and API operation of the work app × every persona (see zhibu/testing/matrix.py)."""

from __future__ import annotations

import io
from datetime import date

from django.core.files.base import ContentFile

from zhibu.testing.matrix import Case
from zhibu.work.models import SpacePhoto

from . import factories as wf

VIEWERS = {"district", "sec_a", "auditor"}  # may view branch-a's records
RECORDER = {"sec_a"}  # may write them


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _service(t):
    return wf.service(t.a, date(2022, 5, 1)).pk


def _problem(t):
    return wf.problem(t.a, 2022).pk


def _plan(t):
    return wf.plan(t.a, 2023).pk


def _space(t):
    return wf.space(t.a, "党员活动室").pk


def _photo(t):
    photo = SpacePhoto(space=wf.space(t.a, "教师书屋"), content_type="image/png", size=10)
    photo.file.save("p.png", ContentFile(png_bytes()), save=False)
    photo.save()
    return photo.pk


def _service_json(t):
    return {
        "date": "2022-06-01",
        "beneficiary": "新入职教师",
        "difficulty": "备课经验不足",
        "action": "党员教师一对一指导",
        "helpers": [t.members.sec_a.pk],
    }


ACCESS = [
    Case("work:index", allowed={"district", "sec_a", "sec_b", "auditor"}),
    Case("work:overview", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case("work:overview", allowed=VIEWERS, args=lambda t: [t.a.code], query="year=2022", label="year"),
    Case("work:list", allowed=VIEWERS, args=lambda t: [t.a.code, "publicity"]),
    Case("work:list", allowed=VIEWERS, args=lambda t: [t.a.code, "problem"], label="problem"),
    Case("work:create", allowed=RECORDER, args=lambda t: [t.a.code, "service"]),
    Case("work:create", allowed=RECORDER, args=lambda t: [t.a.code, "lesson"], label="child"),
    Case(
        "work:create",
        allowed=RECORDER,
        args=lambda t: [t.a.code, "service"],
        method="post",
        ok_status=(400,),
        label="post-empty",
    ),
    Case("work:import", allowed=RECORDER, args=lambda t: [t.a.code, "publicity"]),
    Case("work:import_template", allowed=RECORDER, args=lambda t: [t.a.code, "publicity"]),
    Case("work:detail", allowed=VIEWERS, args=lambda t: ["service", _service(t)]),
    Case("work:detail", allowed=VIEWERS, args=lambda t: ["space", _space(t)], label="space"),
    Case("work:detail", allowed=VIEWERS, args=lambda t: ["problem", _problem(t)], label="problem"),
    Case("work:edit", allowed=RECORDER, args=lambda t: ["service", _service(t)]),
    Case(
        "work:edit",
        allowed=RECORDER,
        args=lambda t: ["service", _service(t)],
        method="post",
        ok_status=(400,),
        label="post-empty",
    ),
    Case("work:delete", allowed=RECORDER, args=lambda t: ["service", _service(t)]),
    Case(
        "work:delete", allowed=RECORDER, args=lambda t: ["service", _service(t)], method="post", label="post"
    ),
    Case(
        "work:problem_status",
        allowed=RECORDER,
        args=lambda t: [_problem(t)],
        method="post",
        data={"status": "in_progress"},
    ),
    Case(
        "work:plan_progress",
        allowed=RECORDER,
        args=lambda t: [_plan(t)],
        method="post",
        data={"progress": "50"},
    ),
    Case("work:photo_add", allowed=RECORDER, args=lambda t: [_space(t)], method="post", ok_status=(400,)),
    Case("work:photo", allowed=VIEWERS, args=lambda t: [_photo(t)]),
    Case("work:photo_delete", allowed=RECORDER, args=lambda t: [_photo(t)], method="post"),
    Case("api:work_records", allowed=VIEWERS, args=lambda t: [t.a.code, "service"], query="year=2022"),
    Case(
        "api:work_record_create",
        allowed=RECORDER,
        args=lambda t: [t.a.code, "service"],
        method="post",
        data=_service_json,
    ),
    Case("api:work_record", allowed=VIEWERS, args=lambda t: ["service", _service(t)]),
    Case(
        "api:work_record_update",
        allowed=RECORDER,
        args=lambda t: ["service", _service(t)],
        method="put",
        data={"result": "顺利完成"},
    ),
    Case(
        "api:work_record_delete", allowed=RECORDER, args=lambda t: ["service", _service(t)], method="delete"
    ),
    Case("api:work_figures", allowed=VIEWERS, args=lambda t: [t.a.code, 2022]),
    Case("api:work_problems", allowed=VIEWERS, args=lambda t: [t.a.code], query="year=2022"),
    Case(
        "api:work_problem_status",
        allowed=RECORDER,
        args=lambda t: [_problem(t)],
        method="post",
        data={"status": "in_progress"},
    ),
    Case("api:work_plans", allowed=VIEWERS, args=lambda t: [t.a.code], query="year=2023"),
    Case(
        "api:work_plan_progress",
        allowed=RECORDER,
        args=lambda t: [_plan(t)],
        method="post",
        data={"progress": 60},
    ),
    Case("api:work_platforms", allowed=VIEWERS, args=lambda t: [t.a.code]),
]
