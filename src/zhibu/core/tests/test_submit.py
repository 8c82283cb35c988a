from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from zhibu.core.web import form_status, submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def request(method="post", data=None):
    req = getattr(RequestFactory(), method)("/", data or {})
    req.session = {}
    req._messages = FallbackStorage(req)
    return req


def test_a_valid_post_calls_the_service_flashes_and_redirects():
    req = request(data={"name": "甲"})
    calls = []
    done = submit(
        req,
        NameForm(req.POST),
        lambda data: calls.append(data) or 7,
        success=lambda n: f"已保存 {n}",
        then=lambda n: HttpResponse(status=302),
    )
    assert done.status_code == 302 and calls == [{"name": "甲"}]
    assert [m.message for m in req._messages] == ["已保存 7"]


def test_service_errors_land_on_the_form_and_nothing_is_answered():
    req = request(data={"name": "甲"})
    form = NameForm(req.POST)

    def refuse(data):
        raise ValidationError({"name": "名称已存在。", "other": "另一个问题。"})

    assert submit(req, form, refuse, success="不会出现", then=lambda _: HttpResponse()) is None
    assert form.errors == {"name": ["名称已存在。"], "__all__": ["另一个问题。"]}
    assert form_status(form) == 400
    assert list(req._messages) == []


def test_a_get_or_an_invalid_form_does_not_call_the_service():
    def boom(data):
        raise AssertionError("called")

    get = request("get")
    assert submit(get, NameForm(None), boom, success="", then=lambda _: HttpResponse()) is None
    assert form_status(NameForm(None)) == 200
    bad = request(data={"name": "x" * 11})
    form = NameForm(bad.POST)
    assert submit(bad, form, boom, success="", then=lambda _: HttpResponse()) is None
    assert form_status(form) == 400
