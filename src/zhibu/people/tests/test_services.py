from datetime import date

import pytest
from django.core.exceptions import ValidationError

from zhibu.audit.models import AuditEntry
from zhibu.core.crypto import digest
from zhibu.orgs.scoping import NotVisible
from zhibu.people import services
from zhibu.people.models import Member, Status, StatusEvent

from .helpers import id_for

FULL_HISTORY = [
    (Status.ACTIVIST, date(2013, 3, 1)),
    (Status.CANDIDATE, date(2014, 3, 1)),
    (Status.PROBATIONARY, date(2015, 6, 1)),
    (Status.FULL, date(2016, 6, 1)),
]


def _create(actor, branch, **fields):
    values = {"name": "周晓梅", "id_number": id_for(date(1988, 5, 20), 246)}
    values.update(fields)
    history = values.pop("history", FULL_HISTORY)
    return services.member_create(actor=actor, branch=branch, history=history, **values)


def _errors(exc) -> dict:
    return exc.value.message_dict


def test_create_derives_identity_status_and_audits(tree):
    member = _create(tree.users.sec_a, tree.a)
    member.refresh_from_db()
    assert (member.birth_date, member.gender) == (date(1988, 5, 20), "2")
    assert (member.name_pinyin, member.name_initials) == ("zhouxiaomei", "zxm")
    assert member.id_digest == digest(member.id_number)
    assert (member.status, member.joined_on, member.confirmed_on) == (
        Status.FULL,
        date(2015, 6, 1),
        date(2016, 6, 1),
    )
    assert list(
        StatusEvent.objects.visible_to(tree.users.sec_a, "view")
        .filter(member=member)
        .values_list("status", flat=True)
    ) == ["activist", "candidate", "probationary", "full"]
    assert list(AuditEntry.objects.filter(target_id=str(member.pk)).values_list("verb", flat=True)) == [
        "member.create"
    ]


def test_lower_case_x_is_stored_upper_case(tree):
    number = next(n for n in (id_for(date(1990, 1, 2), s) for s in range(1, 999)) if n.endswith("X"))
    member = _create(tree.users.sec_a, tree.a, id_number=number.lower())
    assert Member.objects.unscoped().get(pk=member.pk).id_number == number


def test_birth_date_contradicting_the_id_number_is_refused(tree):
    before = Member.objects.unscoped().count()
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.sec_a, tree.a, birth_date=date(1988, 5, 21))
    assert _errors(exc) == {"birth_date": ["与公民身份号码不一致（号码中为 1988-05-20）。"]}
    assert Member.objects.unscoped().count() == before


def test_sex_contradicting_the_id_number_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.sec_a, tree.a, gender="1")
    assert _errors(exc) == {"gender": ["与公民身份号码不一致（号码第 17 位为偶数，应为女）。"]}


def test_bad_checksum_refused_with_other_errors_collected(tree):
    bad = id_for(date(1988, 5, 20), 246)
    bad = bad[:17] + ("1" if bad[17] != "1" else "2")
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.sec_a, tree.a, id_number=bad, phone="12345")
    errors = _errors(exc)
    assert errors["id_number"] == ["校验位不正确。"]
    assert errors["phone"] == ["联系电话应为 11 位手机号，或带区号的固定电话（如 0633-8123456）。"]


def test_landline_and_mobile_accepted(tree):
    assert _create(tree.users.sec_a, tree.a, phone="0633-8123456").phone == "0633-8123456"


def test_ethnicity_outside_the_code_table_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.sec_a, tree.a, ethnicity="99")
    assert list(_errors(exc)) == ["ethnicity"]


def test_duplicate_id_number_is_refused_without_saying_where(tree):
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.sec_a, tree.a, id_number=tree.members.b1.id_number)
    assert _errors(exc) == {
        "id_number": ["该公民身份号码无法登记，请核对；如号码无误，请与上级党组织联系办理。"]
    }


def test_duplicate_id_number_names_the_branch_to_who_may_see_it(tree):
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.district, tree.a, id_number=tree.members.b1.id_number)
    assert _errors(exc) == {"id_number": ["该公民身份号码已登记在乙小学党支部的党员名下。"]}


@pytest.mark.parametrize(
    ("history", "errors"),
    [
        (
            [(Status.CANDIDATE, date(2016, 1, 1)), (Status.PROBATIONARY, date(2015, 6, 1))],
            {"joined_on": ["入党日期不能早于确定发展对象日期（2016-01-01）。"]},
        ),
        (
            [(Status.PROBATIONARY, date(2015, 6, 1)), (Status.FULL, date(2016, 5, 31))],
            {"confirmed_on": ["转正日期应在入党日期满一年之后（预备期为一年）。"]},
        ),
        ([(Status.APPLICANT, date(1980, 1, 1))], {"applied_on": ["申请入党日期不能早于出生日期。"]}),
        ([(Status.APPLICANT, date(2099, 1, 1))], {"applied_on": ["申请入党日期不能晚于今天。"]}),
    ],
)
def test_date_order_sj09(tree, history, errors):
    with pytest.raises(ValidationError) as exc:
        _create(tree.users.sec_a, tree.a, history=history)
    assert _errors(exc) == errors


def test_status_and_dates_must_agree():
    with pytest.raises(ValidationError) as exc:
        services.history_from_dates(
            Status.PROBATIONARY, {"joined_on": date(2020, 1, 1), "confirmed_on": date(2021, 2, 1)}
        )
    assert exc.value.message_dict == {"confirmed_on": ["人员类别为“预备党员”时不应填写转正日期。"]}
    with pytest.raises(ValidationError) as exc:
        services.history_from_dates(Status.FULL, {"confirmed_on": date(2021, 2, 1)})
    assert exc.value.message_dict == {"joined_on": ["正式党员须同时填写入党日期。"]}
    assert services.history_from_dates(
        Status.ACTIVIST, {"applied_on": date(2020, 1, 1), "activist_on": date(2020, 9, 1)}
    ) == [(Status.APPLICANT, date(2020, 1, 1)), (Status.ACTIVIST, date(2020, 9, 1))]


def test_secretary_cannot_add_to_sibling_branch(tree):
    before = Member.objects.unscoped().count()
    with pytest.raises(NotVisible):
        _create(tree.users.sec_b, tree.a)
    assert Member.objects.unscoped().count() == before


def test_update_changes_fields_masks_secrets_in_audit(tree):
    member = tree.members.a3
    services.member_update(actor=tree.users.sec_a, member=member, post="保育员", phone="13912345678")
    entry = AuditEntry.objects.get(verb="member.update", target_id=str(member.pk))
    assert entry.detail == {"post": ["", "保育员"], "phone": ["***", "***"]}
    member.refresh_from_db()
    assert (member.post, member.phone) == ("保育员", "13912345678")


def test_update_without_change_writes_nothing(tree):
    member = tree.members.a3
    services.member_update(actor=tree.users.sec_a, member=member, name=member.name)
    assert not AuditEntry.objects.filter(verb="member.update").exists()


def test_update_new_id_number_rederives_birth_date(tree):
    member = tree.members.a3
    services.member_update(actor=tree.users.sec_a, member=member, id_number=id_for(date(1979, 2, 3), 111))
    member.refresh_from_db()
    assert (member.birth_date, member.gender) == (date(1979, 2, 3), "1")


def test_party_group_must_belong_to_the_branch(tree):
    with pytest.raises(ValidationError) as exc:
        services.member_update(actor=tree.users.district, member=tree.members.b1, party_group=tree.a_group)
    assert _errors(exc) == {"party_group": ["党小组必须属于本党支部。"]}


def test_status_record_derives_current_status(tree):
    member = tree.members.a4  # 预备党员 since 2022-06-01
    services.member_status_record(
        actor=tree.users.sec_a, member=member, status=Status.FULL, on=date(2023, 6, 1)
    )
    member.refresh_from_db()
    assert (member.status, member.confirmed_on) == (Status.FULL, date(2023, 6, 1))


def test_status_record_refuses_early_confirmation_and_saves_nothing(tree):
    member = tree.members.a4
    with pytest.raises(ValidationError) as exc:
        services.member_status_record(
            actor=tree.users.sec_a, member=member, status=Status.FULL, on=date(2023, 5, 1)
        )
    assert _errors(exc) == {"confirmed_on": ["转正日期应在入党日期满一年之后（预备期为一年）。"]}
    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY
    assert not AuditEntry.objects.filter(verb="member.status").exists()


def test_reveal_needs_pii_and_is_audited(tree):
    member = tree.members.a3
    assert services.member_reveal(actor=tree.users.sec_a, member=member)["id_number"] == member.id_number
    assert AuditEntry.objects.filter(verb="member.reveal", target_id=str(member.pk)).count() == 1
    with pytest.raises(NotVisible):
        services.member_reveal(actor=tree.users.auditor, member=member)
    assert AuditEntry.objects.filter(verb="member.reveal").count() == 1
