"""A search by ID number never puts the number in an address or the access log: the roster's search form posts,
and the address it leads to carries the number's keyed digest instead."""

from __future__ import annotations

import logging

from django.urls import reverse

from zhibu.core.crypto import digest
from zhibu.people import selectors


def _logged(caplog) -> str:
    return "\n".join(
        record.getMessage() + " " + str(getattr(record, "path", ""))
        for record in caplog.records
        if record.name == "zhibu.requests"
    )


def test_a_posted_id_number_search_leads_to_an_address_with_its_digest_only(tree, login, caplog):
    number = tree.members.a3.id_number
    url = reverse("people:list", args=[tree.a.code])
    client = login(tree.users.sec_a)
    with caplog.at_level(logging.INFO, logger="zhibu.requests"):
        posted = client.post(url, {"q": number})
        assert posted.status_code == 303
        token = "sfz-" + digest(number)
        assert posted["Location"] == f"{url}?q={token}"
        found = client.get(posted["Location"])
    assert found.status_code == 200
    page = found.content.decode()
    assert "陶俊颖" in page and "张文慧" not in page
    assert "正在按公民身份号码查找" in page
    assert number not in posted["Location"] and number not in page
    assert number not in _logged(caplog) and f"POST {url} 303" in _logged(caplog)


def test_an_htmx_search_answers_with_the_table_and_an_address_without_the_number(tree, login):
    number = tree.members.a3.id_number
    url = reverse("people:list", args=[tree.a.code])
    response = login(tree.users.sec_a).post(url, {"q": number, "status": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "陶俊颖" in body and "张文慧" not in body
    assert response["HX-Push-Url"] == f"{url}?q=sfz-{digest(number)}"
    assert number not in body


def test_part_of_a_number_is_searched_but_left_out_of_the_address(tree, login):
    url = reverse("people:list", args=[tree.a.code])
    part = tree.members.a3.id_number[:10]
    client = login(tree.users.sec_a)
    typing = client.post(url, {"q": part, "status": "full"}, HTTP_HX_REQUEST="true")
    assert typing["HX-Push-Url"] == f"{url}?status=full"
    plain = client.post(url, {"q": part})  # nothing to put in an address: answered in place
    assert plain.status_code == 200 and part not in plain.get("Location", "")


def test_a_name_search_still_goes_in_the_address(tree, login):
    url = reverse("people:list", args=[tree.a.code])
    posted = login(tree.users.sec_a).post(url, {"q": "zwh"})
    assert (posted.status_code, posted["Location"]) == (303, f"{url}?q=zwh")


def test_a_number_typed_into_the_address_is_moved_out_of_it(tree, login):
    number = tree.members.a3.id_number
    url = reverse("people:list", args=[tree.a.code])
    response = login(tree.users.sec_a).get(url, {"q": number})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?q=sfz-{digest(number)}"


def test_the_token_finds_nobody_outside_the_scope(tree, login):
    other = tree.members.other1.id_number
    url = reverse("people:list", args=[tree.a.code])
    response = login(tree.users.sec_a).get(url, {"q": selectors.id_search_token(other)})
    assert response.status_code == 200
    assert "孙丙" not in response.content.decode()
    assert selectors.id_search_token("张文慧") is None
    assert selectors.is_id_search_token("sfz-" + "0" * 64) and not selectors.is_id_search_token("sfz-12")


def test_the_api_searches_an_id_number_by_post_and_refuses_it_in_the_address(tree, login, caplog):
    number = tree.members.a3.id_number
    client = login(tree.users.sec_a)
    with caplog.at_level(logging.INFO, logger="zhibu.requests"):
        found = client.post(
            reverse("api:people_search"), {"q": number, "org": "branch-a"}, content_type="application/json"
        )
    assert found.status_code == 200
    assert [(m["name"], m["id_number"]) for m in found.json()] == [
        ("陶俊颖", tree.members.a3.id_number_masked)
    ]
    assert number not in _logged(caplog)
    refused = client.get(reverse("api:people_list"), {"q": number})
    assert refused.status_code == 422
    assert "POST /api/v1/people/search" in refused.json()["errors"]["q"][0]
    outside = client.post(
        reverse("api:people_search"), {"q": tree.members.other1.id_number}, content_type="application/json"
    )
    assert outside.json() == []
