"""Hostile links against every page, in CI: a small hypothesis sample of benchmarks/fuzz_links.py's links.

Every page × every link key it reads (its settings, the classroom flags) × hostile values (unicode digits,
markdown, HTML, NaN and infinities, huge numbers, 400 kB strings, lists). Each link must open the page with
no exception and its title, and every note about the link must be plain text (core.markup.is_plain_text).
The large sweep (2,000+ links) is the benchmark script itself.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz_links import HOSTILE, page_keys, run_link
from ui.registry import PAGES

KEYS = page_keys()
EXAMPLES_PER_PAGE = 5  # about 0.5 s a link: 9 pages × 5 links stay well under a minute

hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.lists(st.sampled_from(HOSTILE), max_size=4),
)


def test_every_page_and_key_is_fuzzed():
    assert set(KEYS) == {p.file for p in PAGES}
    assert all({"teacher", "big", "hide"} <= set(keys) for keys in KEYS.values())
    assert {"shape_a", "shape_b", "op"} <= set(KEYS["pages/vectorisation.py"])
    assert {"x1", "bias", "y"} <= set(KEYS["pages/graph.py"]) and "race" in KEYS["pages/basin.py"]
    assert {"class", "student", "key"} <= set(KEYS["pages/classmode.py"])


@pytest.mark.parametrize("page", list(KEYS))
def test_hostile_links_open_the_page_with_plain_notes(page):
    @settings(max_examples=EXAMPLES_PER_PAGE, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.fixed_dictionaries({}, optional={key: hostile for key in KEYS[page]}))
    def check(query):
        assert run_link(page, query) == []
    check()
