import csv
from collections import Counter

import pytest

from core.paths import PACKAGE_DATA


@pytest.mark.slow
def test_every_demo_name_finds_its_code(lookup_engine):
    """Each official name answers with its own code; a name listed under several codes lists them all."""
    with open(PACKAGE_DATA / "demo_branches.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    shared = {name for name, count in Counter(row["name"] for row in rows).items() if count > 1}
    wrong = []
    for row in rows:
        result = lookup_engine.lookup(row["name"])
        if row["name"] in shared:
            if result.answer is not None or row["cnaps_code"] not in [
                c.cnaps_code for c in result.candidates
            ]:
                wrong.append(row["name"])
        elif result.answer is None or result.answer.cnaps_code != row["cnaps_code"]:
            wrong.append(row["name"])
    assert wrong == []
    assert len(shared) == 5
