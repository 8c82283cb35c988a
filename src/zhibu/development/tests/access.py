"""Every page and API operation of 发展党员纪实 × every persona."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.testing.matrix import Case

VIEWERS = {"district", "sec_a", "auditor"}  # Action.VIEW at branch-a
EDITORS = {"district", "sec_a"}  # Action.MEMBERS / EXPORT at branch-a
ANY_VIEW = {"district", "sec_a", "sec_b", "auditor"}  # Action.VIEW somewhere


def _case(tree):
    from zhibu.development import services
    from zhibu.development.models import Case as DevelopmentCase
    from zhibu.orgs.scoping import SYSTEM

    from .helpers import TODAY, open_case

    existing = DevelopmentCase.objects.unscoped().filter(org=tree.a).first()
    if existing:
        return existing
    case = open_case(tree.a, day=TODAY)
    services.step_record(
        actor=SYSTEM, case=case, step=2, on=date(2020, 9, 25), details={"talker": "孙晓梅"}, day=TODAY
    )
    return case


def _record(tree):
    from zhibu.development.models import StepRecord

    return StepRecord.objects.unscoped().get(case=_case(tree), step=2).pk


def _document(tree):
    from zhibu.development import services
    from zhibu.orgs.scoping import SYSTEM

    upload = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test\n%%EOF\n", content_type="application/pdf")
    return services.document_upload(actor=SYSTEM, case=_case(tree), kind="application", upload=upload).pk


ACCESS = [
    Case("development:index", allowed=ANY_VIEW),
    Case("development:rulesets", allowed=ANY_VIEW),
    Case("development:pipeline", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case(
        "development:pipeline",
        allowed={"district", "auditor"},
        args=lambda t: [t.district.code],
        label="committee",
    ),
    Case("development:open", allowed=EDITORS, args=lambda t: [t.a.code]),
    Case(
        "development:open",
        allowed=EDITORS,
        args=lambda t: [t.a.code],
        method="post",
        ok_status=(400,),
        label="post",
    ),
    Case("development:settings", allowed={"district"}, args=lambda t: [t.a.code]),
    Case(
        "development:settings",
        allowed={"district"},
        args=lambda t: [t.a.code],
        method="post",
        data={"form": "holidays", "year": "x"},
        ok_status=(400,),
        label="post",
    ),
    Case("development:case", allowed=VIEWERS, args=lambda t: [_case(t).pk]),
    Case("development:advance", allowed=EDITORS, args=lambda t: [_case(t).pk]),
    Case(
        "development:advance",
        allowed=EDITORS,
        args=lambda t: [_case(t).pk],
        method="post",
        ok_status=(400,),
        label="post",
    ),
    Case(
        "development:upload", allowed=EDITORS, args=lambda t: [_case(t).pk], method="post", ok_status=(400,)
    ),
    Case("development:register_docx", allowed=EDITORS, args=lambda t: [_case(t).pk]),
    Case("development:notice_docx", allowed=EDITORS, args=lambda t: [_case(t).pk]),
    Case("development:correct", allowed=EDITORS, args=lambda t: [_record(t)]),
    Case(
        "development:correct",
        allowed=EDITORS,
        args=lambda t: [_record(t)],
        method="post",
        ok_status=(400,),
        label="post",
    ),
    Case("development:document", allowed=EDITORS, args=lambda t: [_document(t)]),
    Case("api:development_rulesets", allowed=ANY_VIEW),
    Case("api:development_pipeline", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case("api:development_due", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case("api:development_cases", allowed=VIEWERS, args=lambda t: [t.a.code]),
    Case(
        "api:development_case_open",
        allowed=EDITORS,
        args=lambda t: [t.a.code],
        method="post",
        data={"applied_on": "2020-09-10"},
        ok_status=(422,),
    ),
    Case("api:development_case", allowed=VIEWERS, args=lambda t: [_case(t).pk]),
    Case(
        "api:development_step_record",
        allowed=EDITORS,
        args=lambda t: [_case(t).pk],
        method="post",
        data={"step": 2, "on": "2020-09-26"},
        ok_status=(422,),
    ),
    Case(
        "api:development_step_correct",
        allowed=EDITORS,
        args=lambda t: [_record(t)],
        method="patch",
        data={"on": "2020-09-09"},
        ok_status=(422,),
    ),
]
