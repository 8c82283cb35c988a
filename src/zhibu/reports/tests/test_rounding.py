import pytest

from zhibu.reports.rounding import approx, approx_chars


@pytest.mark.parametrize(
    "n, text",
    [
        (19000, "近20000"),
        (19437, "近20000"),
        (19999, "近20000"),
        (16001, "16000多"),
        (16212, "16000多"),
        (16999, "16000多"),
        (16000, "16000"),
        (20000, "20000"),
        (20500, "20000多"),
        (9950, "近10000"),
        (1234, "1200多"),
        (999, "999"),
        (0, "0"),
        (99999, "近100000"),
    ],
)
def test_approx(n, text):
    assert approx(n) == text


def test_approx_chars_adds_the_unit():
    assert approx_chars(19437) == "近20000字"
    assert approx_chars(16212) == "16000多字"
