from __future__ import annotations

from datetime import date

from django.urls import reverse

from zhibu.work.models import Problem, Publicity, Service

from . import factories as wf


def test_index_redirects_to_home_org_overview(tree, login):
    client = login(tree.users.sec_a)
    response = client.get(reverse("work:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("work:overview", args=["branch-a"])


def test_overview_shows_the_figures(tree, login):
    wf.service(tree.a, date(2022, 3, 1))
    wf.publicity(tree.a, "学习强国", date(2022, 5, 1))
    response = login(tree.users.sec_a).get(reverse("work:overview", args=["branch-a"]) + "?year=2022")
    assert response.status_code == 200
    body = response.content.decode()
    assert "为群众办实事" in body and "学习强国供稿" in body
    assert response.context["figures"]["service_count"] == 1
    assert response.context["figures"]["publicity_national_study"] == 1


def test_create_service_through_the_form(tree, login):
    client = login(tree.users.sec_a)
    url = reverse("work:create", args=["branch-a", "service"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "date": "2022-06-01",
            "beneficiary": "中班家长",
            "difficulty": "接送困难",
            "action": "党员护送",
            "result": "",
            "helpers": [tree.members.a3.pk],
        },
    )
    service = Service.objects.unscoped().get()
    assert response.status_code == 302
    assert response["Location"] == reverse("work:detail", args=["service", service.pk])
    assert list(service.helpers.values_list("name", flat=True)) == ["陶俊颖"]


def test_bad_input_shows_the_form_again_with_chinese_messages(tree, login):
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("work:create", args=["branch-a", "pair"]),
        {
            "mentor": tree.members.sec_a.pk,
            "apprentice": "青年教师",
            "starts_on": "2022-09-01",
            "ends_on": "2022-08-01",
        },
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in response.content.decode()
    response = client.post(
        reverse("work:create", args=["branch-a", "service"]),
        {
            "date": "2022-06-01",
            "beneficiary": "x",
            "difficulty": "x",
            "action": "x",
            "helpers": [tree.members.b1.pk],
        },
    )
    assert response.status_code == 400
    assert Service.objects.unscoped().count() == 0


def test_unknown_kind_is_404(tree, login):
    assert login(tree.users.sec_a).get(reverse("work:list", args=["branch-a", "nothing"])).status_code == 404


def test_list_query_count(tree, login, django_assert_max_num_queries):
    for i in range(30):
        wf.publicity(tree.a, "学习强国" if i % 2 else "视频号", date(2022, 1 + i % 12, 1))
    client = login(tree.users.sec_a)
    url = reverse("work:list", args=["branch-a", "publicity"]) + "?year=2022"
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 30


def test_service_list_with_helpers_query_count(tree, login, django_assert_max_num_queries):
    for i in range(20):
        wf.service(tree.a, date(2022, 1 + i % 12, 2)).helpers.set([tree.members.a3])
    client = login(tree.users.sec_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("work:list", args=["branch-a", "service"]) + "?year=2022")
    assert len(response.context["rows"]) == 20


def test_problem_status_form_refuses_closing_without_evidence(tree, login):
    problem = wf.problem(tree.a, 2022)
    client = login(tree.users.sec_a)
    response = client.post(reverse("work:problem_status", args=[problem.pk]), {"status": "done"})
    assert response.status_code == 400
    assert "已整改的问题须填写整改成效与佐证。" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == Problem.Status.OPEN


def test_edit_does_not_touch_the_object_on_bad_input(tree, login):
    obj = wf.service(tree.a, date(2022, 5, 1))
    client = login(tree.users.sec_a)
    response = client.post(reverse("work:edit", args=["service", obj.pk]), {"date": "", "beneficiary": "改"})
    assert response.status_code == 400
    obj.refresh_from_db()
    assert obj.beneficiary == "小班幼儿家长"


def test_api_create_list_and_validation(tree, login):
    client = login(tree.users.sec_a)
    url = reverse("api:work_record_create", args=["branch-a", "publicity"])
    platform = wf.platform("学习强国").pk
    response = client.post(
        url,
        {"platform": platform, "title": "稿件", "date": "2022-02-02", "status": "published"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "稿件"
    response = client.post(
        url, {"platform": platform, "title": "", "date": "2022-02-30"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"title", "date"}
    assert Publicity.objects.unscoped().count() == 1
    listing = client.get(reverse("api:work_records", args=["branch-a", "publicity"]) + "?year=2022").json()
    assert [row["title"] for row in listing] == ["稿件"]
    figures = client.get(reverse("api:work_figures", args=["branch-a", 2022])).json()
    assert figures["values"]["publicity_national_study"] == 1
    assert figures["sources"]["publicity_national_study"] == [["work.publicity", listing[0]["id"]]]


def test_api_outsider_gets_404_and_nothing_changes(tree, login):
    client = login(tree.users.sec_b)
    response = client.post(
        reverse("api:work_record_create", args=["branch-a", "service"]),
        {"date": "2022-06-01", "beneficiary": "x", "difficulty": "x", "action": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Service.objects.unscoped().count() == 0


def test_photo_upload_and_serve(tree, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .access import png_bytes

    space = wf.space(tree.a, "教师书屋")
    client = login(tree.users.sec_a)
    response = client.post(
        reverse("work:photo_add", args=[space.pk]),
        {"file": SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")},
    )
    assert response.status_code == 302
    photo = space.photos.get()
    served = client.get(reverse("work:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    response = client.post(
        reverse("work:photo_add", args=[space.pk]),
        {"file": SimpleUploadedFile("b.png", b"not a picture", content_type="image/png")},
    )
    assert response.status_code == 400
    assert space.photos.count() == 1
