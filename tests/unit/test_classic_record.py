"""The classic detector's record, as the Classify page states it, is the one its benchmark measured."""

import re

from core.lessons import classic_detector
from tests.conftest import REPO_ROOT

COUNT = re.compile(r"(\d+) / (\d+)")


def held_out_table():
    """The results file's table of the three held-out sets: {set name: {column: (right, photos)}}."""
    lines = (REPO_ROOT / classic_detector.HELD_OUT_RESULTS).read_text().splitlines()
    start = lines.index("## All three held-out sets (the classic detector, as the page answers)")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("| set |"))
    columns = [c.strip() for c in lines[header].strip("|").split("|")][1:]
    table = {}
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        name, *cells = (c.strip().strip("*") for c in line.strip("|").split("|"))
        table[name] = {col: tuple(map(int, COUNT.search(cell).groups())) for col, cell in zip(columns, cells,
                                                                                           strict=True)}
    return table


def test_the_record_is_the_benchmarks_all_three_row():
    row = held_out_table()["all three"]
    assert classic_detector.HELD_OUT == {k: row[k] for k in classic_detector.HELD_OUT}


def test_the_all_three_row_is_the_sum_of_the_sets():
    table = held_out_table()
    sets = [v for k, v in table.items() if k != "all three"]
    assert len(sets) == 3
    for column, (right, photos) in table["all three"].items():
        assert (right, photos) == (sum(s[column][0] for s in sets), sum(s[column][1] for s in sets)), column


def test_the_sentence_says_the_record():
    text = classic_detector.record_sentence()
    assert "on 118 real photos" in text
    assert "29 of 32" in text and "6 of 14" in text and "1 of 72 photos without a person" in text
