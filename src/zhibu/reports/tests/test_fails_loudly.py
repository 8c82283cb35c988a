"""The report fails loudly: a selector that raises makes report generation fail with that error, never a report
with paragraphs silently missing (issue 10, point 6)."""

import pytest
from django.urls import reverse

from zhibu.reports import assemble, services
from zhibu.reports.models import Report
from zhibu.rules import selectors as rules
from zhibu.study import selectors as study
from zhibu.work import selectors as work

from .helpers import meetings

pytestmark = pytest.mark.django_db

SELECTORS = [
    (work, "year_figures"),
    (work, "problems"),
    (work, "plans"),
    (study, "note_chars"),
    (study, "rankings_enabled"),
    (rules, "branch_year"),
]
# The three the old assembly swallowed, and one it never did.
ERRORS = [ImportError, AttributeError, NotImplementedError, RuntimeError]


def _break(monkeypatch, module, name, error):
    def broken(*args, **kwargs):
        raise error(f"{module.__name__}.{name} is broken")

    monkeypatch.setattr(module, name, broken)


@pytest.mark.parametrize(("module", "name"), SELECTORS, ids=[f"{m.__name__}.{n}" for m, n in SELECTORS])
@pytest.mark.parametrize("error", ERRORS, ids=[e.__name__ for e in ERRORS])
def test_a_selector_raising_makes_the_report_fail(tree, monkeypatch, module, name, error):
    meetings(tree.a)
    assert assemble.build(tree.users.sec_a, tree.a, 2022)["blocks"]  # works before the selector breaks
    _break(monkeypatch, module, name, error)
    with pytest.raises(error, match=f"{name} is broken"):
        assemble.build(tree.users.sec_a, tree.a, 2022)


def test_a_broken_selector_stops_the_draft_and_the_page(tree, client, monkeypatch):
    meetings(tree.a)
    _break(monkeypatch, work, "year_figures", AttributeError)
    with pytest.raises(AttributeError):
        services.report_start(actor=tree.users.sec_a, org=tree.a, year=2022)
    assert not Report.objects.unscoped().filter(org=tree.a).exists()
    client.force_login(tree.users.sec_a)
    with pytest.raises(AttributeError):  # a server error, not a page with the paragraphs left out
        client.get(reverse("reports:org_year", args=[tree.a.code, 2022]))


def test_a_selector_answering_in_an_unknown_shape_fails(tree, monkeypatch):
    real = work.year_figures

    def without_service(*args, **kwargs):
        answer = real(*args, **kwargs)
        del answer["values"]["service_count"]
        return answer

    monkeypatch.setattr(work, "year_figures", without_service)
    with pytest.raises(KeyError, match="service_count"):
        assemble.build(tree.users.sec_a, tree.a, 2022)


def test_the_figures_are_frozen(tree):
    figures = assemble.gather(tree.users.sec_a, tree.a, 2022)
    with pytest.raises(AttributeError):
        figures.year = 2021  # type: ignore[misc]
    with pytest.raises(AttributeError):
        figures.work.service_count = 3  # type: ignore[misc]
