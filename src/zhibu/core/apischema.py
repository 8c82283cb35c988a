"""Shared pieces of the REST API's contract: the one error body every operation answers with, and range-checked
parameter types, so that a value the database cannot hold (an id past 64 bits, a negative offset, the year 63193)
is refused with 422 while the request is read, and the OpenAPI document says so.

The app routers import these types; `zhibu.api` declares the error responses on every operation."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema

#: The largest value a 64-bit signed primary key can hold (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
#: Years the system has records for: from the founding of the Party to the end of the century.
MIN_YEAR, MAX_YEAR = 1921, 2100
#: An offset past this reads nothing in any branch; larger ones only risk overflowing the database's integers.
MAX_OFFSET = 10**9

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="编号（正整数）")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="跳过的条数")]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=f"年份（{MIN_YEAR}–{MAX_YEAR}）")]
Month = Annotated[int, Field(ge=1, le=12, description="月份（1–12）")]
Days = Annotated[int, Field(ge=1, le=366, description="天数（1–366）")]
#: A page size; lists answer at most this many rows at a time.
MAX_LIMIT = 500
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")]
SmallInt = Annotated[int, Field(ge=-32768, le=32767)]


class ErrorOut(Schema):
    """Every refusal: `detail` says what went wrong in Chinese; `errors` maps a field (or `__all__`) to its
    messages when the input was at fault."""

    detail: str
    errors: dict[str, list[str]] = {}


#: Statuses an operation may answer besides its own success statuses. 401 and 404 apply to every operation (no
#: token; outside scope or unknown); 422 to every operation that reads input; 400 (unreadable JSON), 403 (CSRF
#: for a signed-in browser, a refused action) and 409 (a conflicting write) to operations that change data.
READ_ERRORS = (401, 404)
INPUT_ERRORS = (422,)
WRITE_ERRORS = (400, 403, 409)
