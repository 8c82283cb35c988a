from zhibu.testing.matrix import Case, anyone_logged_in

VIEWERS = {"district", "sec_a", "auditor"}
EXPORTERS = {"district", "sec_a"}
A = lambda t: [t.a.code]  # noqa: E731


def _system_template(t):
    from zhibu.ledger.models import ExportTemplate

    return [t.a.code, ExportTemplate.objects.unscoped().filter(org__isnull=True).order_by("id").first().pk]


def _district_template(t):
    from zhibu.ledger.models import ExportTemplate

    from .test_templates import own_copy

    return (
        [own_copy(t).pk]
        if not ExportTemplate.objects.unscoped().filter(org=t.district).exists()
        else [ExportTemplate.objects.unscoped().filter(org=t.district).first().pk]
    )


ACCESS = [
    Case("ledger:index", anyone_logged_in()),
    Case("ledger:org", VIEWERS, args=A),
    Case("ledger:sheet", EXPORTERS, args=_system_template, query="from=2022-01&to=2022-12&format=csv"),
    Case(
        "ledger:sheet",
        EXPORTERS,
        args=_system_template,
        query="from=2022-13&to=2022-12",
        ok_status=(400,),
        label="bad month",
    ),
    Case("ledger:template_new", {"district"}, args=lambda t: [t.district.code]),
    Case(
        "ledger:template_new",
        {"district"},
        args=lambda t: [t.district.code],
        method="post",
        ok_status=(400,),
        label="post",
    ),
    Case("ledger:template_edit", {"district"}, args=_district_template),
    Case(
        "ledger:template_edit",
        {"district"},
        args=_district_template,
        method="post",
        ok_status=(400,),
        label="post",
    ),
    Case("ledger:book", VIEWERS, args=A, query="year=2022"),
    Case("ledger:book", EXPORTERS, args=A, query="year=2022&as=docx", label="docx"),
    Case("ledger:stats", VIEWERS, args=A, query="on=2022-12-31"),
    Case("ledger:stats", EXPORTERS, args=A, query="on=2022-12-31&as=xlsx", label="xlsx"),
    Case("ledger:stats_people", VIEWERS, args=A, query="on=2022-12-31&key=full"),
    Case("ledger:archive", VIEWERS | {"member_a"}, args=lambda t: [t.members.member_a.pk]),
    Case("ledger:archive", VIEWERS, args=lambda t: [t.members.a3.pk], label="other member"),
]


def _case(t):
    from datetime import date

    from zhibu.development import services
    from zhibu.orgs.scoping import SYSTEM
    from zhibu.people import idnumber

    case = services.case_open(
        actor=SYSTEM,
        branch=t.a,
        applied_on=date(2021, 3, 1),
        person={"name": "申请人", "id_number": idnumber.make("371102", date(1998, 1, 1), 2), "post": "教师"},
        version=None,
        day=date(2022, 1, 10),
    )
    return [case.pk]


ACCESS += [
    Case("ledger:case_book", VIEWERS, args=_case),
    Case("ledger:dues_ledger", EXPORTERS, args=A, query="year=2022"),
]

ACCESS += [Case("ledger:mine", {"sec_a", "member_a", "sec_b"})]
