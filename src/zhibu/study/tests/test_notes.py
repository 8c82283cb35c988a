from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.orgs import scoping
from zhibu.study import selectors, services
from zhibu.study.models import StudyNote
from zhibu.testing import factories as f


@pytest.fixture
def session(tree):
    return f.make_activity(tree.a, "political-study", date(2022, 3, 7), topic="学习党章第一章")


def test_han_count_is_computed_on_save(tree, session):
    note = services.note_save(
        actor=tree.users.sec_a,
        activity=session,
        member=tree.members.a3,
        text="学习党章，2022年3月7日，共 3 点体会：坚定信念（Belief）。",
    )
    assert note.han_count == 15  # 学习党章 年月日 共点体会 坚定信念
    assert StudyNote.objects.unscoped().get().han_count == 15


def test_note_chars_totals_a_year_of_political_study(tree, session):
    later = f.make_activity(tree.a, "political-study", date(2022, 12, 26))
    next_year = f.make_activity(tree.a, "political-study", date(2023, 1, 2))
    StudyNote.objects.unscoped().create(activity=session, member=tree.members.sec_a, text="一二三四五")
    StudyNote.objects.unscoped().create(activity=session, member=tree.members.member_a, text="六七八 abc")
    StudyNote.objects.unscoped().create(activity=later, member=tree.members.sec_a, text="九十")
    StudyNote.objects.unscoped().create(activity=next_year, member=tree.members.sec_a, text="不算今年")
    other = f.make_activity(tree.b, "political-study", date(2022, 5, 9))
    StudyNote.objects.unscoped().create(activity=other, member=tree.members.b1, text="乙支部笔记")
    with pytest.raises(scoping.MissingActor):
        selectors.note_chars(None, tree.a, 2022)
    assert selectors.note_chars(scoping.SYSTEM, tree.a, 2022) == 10
    assert selectors.note_chars(tree.users.district, tree.district, 2022) == 15
    assert selectors.note_chars(scoping.SYSTEM, tree.a, 2023) == 4
    with pytest.raises(scoping.NotVisible):
        selectors.note_chars(tree.users.sec_b, tree.a, 2022)
    summary = selectors.notes_summary(tree.users.sec_a, tree.a, 2022)
    assert [(m.name, m.notes, m.chars) for m in summary.members] == [("李慧欣", 1, 3), ("张文慧", 2, 7)]
    assert [(s["activity"].pk, s["notes"], s["chars"]) for s in summary.sessions] == [
        (session.pk, 2, 8),
        (later.pk, 1, 2),
    ]
    committee = selectors.notes_summary(tree.users.district, tree.district, 2022)
    assert [(b.name, b.members, b.notes, b.chars) for b in committee.branches] == [
        ("甲幼儿园党支部", 2, 3, 10),
        ("乙小学党支部", 1, 1, 5),
    ]


def test_plain_member_writes_own_note_only(tree, session, login):
    client = login(tree.users.member_a)
    url = reverse("study:notes", args=[session.pk])
    page = client.get(url).content.decode()
    assert "填写学习笔记、反思" in page
    response = client.post(url, {"member": tree.members.a3.pk, "text": "替别人写"})
    assert response.status_code == 400
    assert not StudyNote.objects.unscoped().exists()
    assert (
        client.post(url, {"member": tree.members.member_a.pk, "text": "认真学习，学以致用。"}).status_code
        == 302
    )
    assert list(StudyNote.objects.unscoped().values_list("member__name", "han_count")) == [("李慧欣", 8)]


def test_service_refuses_another_members_note_for_a_plain_member(tree, session):
    with pytest.raises(ValidationError):
        services.note_save(actor=tree.users.member_a, activity=session, member=tree.members.a3, text="代写")
    with pytest.raises(scoping.NotVisible):
        services.note_save(actor=tree.users.sec_b, activity=session, member=tree.members.a3, text="越权")
    assert not StudyNote.objects.unscoped().exists()


def test_secretary_edits_and_empty_text_deletes(tree, session, login):
    client = login(tree.users.sec_a)
    url = reverse("study:notes", args=[session.pk])
    client.post(url, {"member": tree.members.a3.pk, "text": "第一稿"})
    client.post(url, {"member": tree.members.a3.pk, "text": "第二稿内容"})
    assert list(StudyNote.objects.unscoped().values_list("text", "han_count")) == [("第二稿内容", 5)]
    assert "第二稿内容" in client.get(url + f"?member={tree.members.a3.pk}").content.decode()
    client.post(url, {"member": tree.members.a3.pk, "text": ""})
    assert not StudyNote.objects.unscoped().exists()
    assert client.post(url, {"member": tree.members.a3.pk, "text": "  "}).status_code == 400


def test_notes_only_on_political_study(tree, login):
    meeting = f.make_activity(tree.a, "theme-day", date(2022, 3, 8))
    assert login(tree.users.sec_a).get(reverse("study:notes", args=[meeting.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.note_save(actor=tree.users.sec_a, activity=meeting, member=tree.members.a3, text="主题党日")


def test_member_of_another_branch_cannot_be_noted(tree, session):
    with pytest.raises(ValidationError):
        services.note_save(actor=scoping.SYSTEM, activity=session, member=tree.members.b1, text="别的支部")


def test_notes_summary_page_and_api(tree, session, login):
    StudyNote.objects.unscoped().create(activity=session, member=tree.members.sec_a, text="学习心得体会")
    client = login(tree.users.sec_a)
    text = client.get(reverse("study:notes_summary", args=[tree.a.code]) + "?year=2022").content.decode()
    assert "6 字" in text and "学习党章第一章" in text
    api = client.get(reverse("api:study_notes_summary", args=[tree.a.code]) + "?year=2022").json()
    assert api == {
        "org": "branch-a",
        "year": 2022,
        "sessions": 1,
        "notes": 1,
        "chars": 6,
        "members": [{"name": "张文慧", "branch": "甲幼儿园党支部", "notes": 1, "chars": 6}],
    }
    assert client.get(reverse("study:notes_summary", args=[tree.a.code]) + "?year=22x").status_code == 400


def test_notes_summary_queries_do_not_grow(tree, login, django_assert_max_num_queries):
    members = [f.make_member(tree.a, f"成员{n}") for n in range(6)]
    for week in range(8):
        activity = f.make_activity(tree.a, "political-study", date(2022, 3, 7) + timedelta(days=7 * week))
        StudyNote.objects.unscoped().bulk_create(
            [StudyNote(activity=activity, member=m, text="学习体会", han_count=4) for m in members]
        )
    client = login(tree.users.sec_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:notes_summary", args=[tree.a.code]) + "?year=2022")
    assert "192 字" in response.content.decode()
