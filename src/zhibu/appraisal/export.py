"""A closed round's results as .xlsx (through the one tabular core)."""

from __future__ import annotations

from django.utils import timezone

from zhibu.core import tabular


def round_xlsx(the_round, rows: list[dict], ratings: dict[int, list], level_labels: list[str]) -> bytes:
    """A closed round's results: one sheet of results per branch, one of the individual ratings."""
    header = ["党支部", "述职人", *level_labels, "合计", "好+较好占比", "评议等次", "评议意见"]
    results = (
        [
            row["org"].name,
            row["secretary"],
            *row["counts"],
            row["total"],
            tabular.Cell(round(row["share"], 4) if row["share"] is not None else None, number_format="0.0%"),
            row["grade"],
            row["findings"],
        ]
        for row in rows
    )
    details = (
        [
            row["org"].name,
            str(rating.appraiser.user),
            rating.get_level_display(),
            tabular.Cell(rating.comment, wrap=True),
            timezone.localtime(rating.rated_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for row in rows
        for rating in ratings.get(row["participant"].pk, [])
    )
    return tabular.xlsx(
        tabular.Sheet(
            "评议结果",
            header,
            results,
            titles=[
                the_round.title,
                f"{the_round.org.name} · {the_round.year}年度 · 定等比例 {the_round.threshold}%",
                "",
            ],
            widths=[28, 10, *[6] * len(level_labels), 6, 12, 10, 40],
        ),
        tabular.Sheet(
            "评议明细",
            ["党支部", "评议人", "评议等次", "意见", "评议时间"],
            details,
            widths=[28, 12, 10, 40, 18],
        ),
    )
