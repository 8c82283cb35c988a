"""The pages and API operations kept the addresses they had in the reports app (bookmarks, links in notices)."""

from django.urls import resolve, reverse


def test_pages_keep_their_paths():
    assert reverse("appraisal:rounds") == "/reports/rounds/"
    assert reverse("appraisal:round_detail", args=[7]) == "/reports/rounds/7/"
    assert reverse("appraisal:round_rate", args=[7]) == "/reports/rounds/entry/7/rate/"
    assert reverse("appraisal:reviews", args=["branch-a"]) == "/reports/reviews/org/branch-a/"
    assert reverse("appraisal:review_vote", args=[7]) == "/reports/reviews/7/vote/"
    assert resolve("/reports/rounds/7/").namespace == "appraisal"
    assert resolve("/reports/r/7/").namespace == "reports"  # the reports app's own pages are unchanged


def test_api_operations_keep_their_paths():
    assert reverse("api:appraisal_round_detail", args=[7]) == "/api/v1/reports/rounds/7"
    assert (
        reverse("api:appraisal_round_open", args=["district-edu"])
        == "/api/v1/reports/orgs/district-edu/rounds"
    )
    assert reverse("api:appraisal_review_vote", args=[7]) == "/api/v1/reports/reviews/7/vote"
    assert reverse("api:reports_detail", args=[7]) == "/api/v1/reports/7"
