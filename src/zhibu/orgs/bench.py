"""Subtree reads on a city-sized tree: 1 city committee, 20 districts, 50 committees each, 20 branches each."""

from __future__ import annotations

import time

from zhibu.testing.benchdb import fresh_database, postgres_available


def _alphabet(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


def _build() -> str:
    from zhibu.orgs.models import Organisation, OrgType

    committee = OrgType.objects.get(code="committee")
    branch = OrgType.objects.get(code="branch")
    rows = [Organisation(path="0001", depth=1, numchild=20, code="city", name="市委", type=committee)]
    for d in range(20):
        dpath = "0001" + _alphabet(d + 1)
        rows.append(
            Organisation(path=dpath, depth=2, numchild=50, code=f"d{d}", name=f"区{d}", type=committee)
        )
        for c in range(50):
            cpath = dpath + _alphabet(c + 1)
            rows.append(
                Organisation(
                    path=cpath, depth=3, numchild=20, code=f"d{d}-c{c}", name=f"党委{d}-{c}", type=committee
                )
            )
            rows.extend(
                Organisation(
                    path=cpath + _alphabet(b + 1),
                    depth=4,
                    numchild=0,
                    code=f"d{d}-c{c}-b{b}",
                    name=f"支部{d}-{c}-{b}",
                    type=branch,
                )
                for b in range(20)
            )
    Organisation.objects.bulk_create(rows, batch_size=5000)
    return "0001" + _alphabet(8)


def _measure(kind: str):
    from zhibu.orgs import scoping
    from zhibu.orgs.models import Organisation

    with fresh_database(kind):
        district_path = _build()
        total = Organisation.objects.count()
        low, high = scoping.path_bounds("0001")
        started = time.perf_counter()
        city = list(Organisation.objects.filter(path__gte=low, path__lte=high).values_list("id", "path"))
        city_s = time.perf_counter() - started
        low, high = scoping.path_bounds(district_path)
        started = time.perf_counter()
        district = list(Organisation.objects.filter(path__gte=low, path__lte=high).values_list("id", "path"))
        district_s = time.perf_counter() - started
        assert len(city) == total and len(district) == 1 + 50 + 1000
        yield f"org_subtree_{total}_{kind}", city_s * 1000, "ms"
        yield f"org_subtree_district_1051_{kind}", district_s * 1000, "ms"


def run(full: bool):
    yield from _measure("sqlite")
    if postgres_available():
        yield from _measure("postgresql")
