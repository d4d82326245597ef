"""The face finders' records, as the Classify page states them, are the ones their benchmarks measured."""

import re

from core.lessons import classic_detector, detector, face_network
from tests.conftest import REPO_ROOT

COUNT = re.compile(r"(\d+) / (\d+)")


def held_out_table(results=classic_detector.HELD_OUT_RESULTS,
                   heading="## All three held-out sets (the classic detector, as the page answers)"):
    """The results file's table of the three held-out sets: {set name: {column: (right, photos)}}."""
    lines = (REPO_ROOT / results).read_text().splitlines()
    start = lines.index(heading)
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


NETWORK_HEADING = "## All three held-out sets (the cascade, then the network, as the page answers)"


def test_the_two_detectors_record_is_the_benchmarks_all_three_row_and_the_sum_of_the_sets():
    table = held_out_table(face_network.HELD_OUT_RESULTS, NETWORK_HEADING)
    assert face_network.HELD_OUT == {k: table["all three"][k] for k in face_network.HELD_OUT}
    sets = [v for k, v in table.items() if k != "all three"]
    assert len(sets) == 3
    for column, (right, photos) in table["all three"].items():
        assert (right, photos) == (sum(s[column][0] for s in sets), sum(s[column][1] for s in sets)), column


def test_the_two_detectors_sentence_says_their_record():
    big, small, free = (face_network.HELD_OUT[k] for k in ("big faces", "small faces", "face-free photos"))
    text = face_network.record_sentence()
    assert "on 118 real photos" in text and f"{big[0]} of {big[1]}" in text and f"{small[0]} of {small[1]}" in text
    assert f"{free[1] - free[0]} of {free[1]} photos without a person" in text


def test_the_sentence_says_the_record():
    text = classic_detector.record_sentence()
    assert "on 118 real photos" in text
    assert "29 of 32" in text and "6 of 14" in text and "1 of 72 photos without a person" in text


ROW = re.compile(r"^  \S+\s+(person|other)\s+\d+×\d+\s+score [\d.]+ (face|unsure|not a face)\s+(right|WRONG)")


def neuron_verdicts():
    """The raw output's verdicts per neuron: {representation: {"people" or "face-free": [verdict, ...]}}."""
    verdicts, section = {}, None
    for line in (REPO_ROOT / detector.HELD_OUT_RESULTS).read_text().splitlines():
        if line.startswith("== "):
            section = line[3:].split(":")[0]
            section = section if section in detector.REPRESENTATIONS else None
            if section:
                verdicts[section] = {"people": [], "face-free": []}
        elif section and (m := ROW.match(line)):
            verdicts[section]["people" if m.group(1) == "person" else "face-free"].append(m.group(2))
    return verdicts


def test_each_neurons_record_is_its_raw_output():
    verdicts = neuron_verdicts()
    assert set(verdicts) == set(detector.REPRESENTATIONS) == set(detector.HELD_OUT)
    for rep, record in detector.HELD_OUT.items():
        for group, (said_face, photos) in record.items():
            assert (verdicts[rep][group].count("face"), len(verdicts[rep][group])) == (said_face, photos), (rep, group)


def test_the_raw_outputs_own_summary_agrees():
    text = (REPO_ROOT / detector.HELD_OUT_RESULTS).read_text()
    for rep, record in detector.HELD_OUT.items():
        section = text.split(f"== {rep}:")[1].split("\n== ")[0]
        assert f"people: the page says 'face' {record['people'][0]}," in section


def test_the_neurons_sentences_say_their_records():
    assert detector.record_sentence("edges").endswith(
        'said "a face" for 15 of 21 photos of people, and also for 7 of 22 photos without a person.')
    assert "On 43 real photos" in detector.record_sentence("pixels")
