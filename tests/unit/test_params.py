"""URL settings: parse, fall back to defaults with a note, round-trip."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

import core.params
from core.params import QueryState, setting


@dataclass(frozen=True)
class Demo(QueryState):
    lr: float = setting(0.1, lo=1e-4, hi=100.0)
    steps: int = setting(50, lo=1, hi=500)
    data: str = setting("overlap", choices=("overlap", "separable"))
    race: bool = setting(False)


def test_doctests():
    import doctest

    assert doctest.testmod(core.params).failed == 0


def test_defaults_are_left_out_of_the_url():
    assert Demo().to_query() == {}


def test_good_values_are_read():
    p, notes = Demo.parse({"lr": "2.5", "steps": "7", "data": "separable", "race": "1"})
    assert p == Demo(lr=2.5, steps=7, data="separable", race=True) and notes == []


def test_lists_take_the_last_value_and_unknown_keys_are_ignored():
    assert Demo.from_query({"lr": ["1", "3"], "embed": "true"}) == Demo(lr=3.0)


def test_bad_values_keep_the_default_with_a_note():
    p, notes = Demo.parse({"lr": "nan", "steps": "2.5", "data": "<script>", "race": "maybe"})
    assert p == Demo()
    assert notes == [
        "lr=nan is not a finite number; using 0.1.",
        "steps=2.5 is not a whole number; using 50.",
        "data=<script> is not one of overlap, separable; using 'overlap'.",
        "race=maybe is not on/off (use 1 or 0); using False.",
    ]


def test_out_of_range_values_are_refused():
    p, notes = Demo.parse({"lr": "1e9", "steps": "0"})
    assert p == Demo() and len(notes) == 2 and "outside" in notes[0]


@given(lr=st.floats(1e-4, 100), steps=st.integers(1, 500), data=st.sampled_from(["overlap", "separable"]),
       race=st.booleans())
def test_round_trip(lr, steps, data, race):
    p = Demo.from_query({"lr": repr(lr)})       # values are rounded on the way in, as a link would round them
    p = Demo(lr=p.lr, steps=steps, data=data, race=race)
    assert Demo.from_query(p.to_query()) == p


def test_a_number_with_choices_takes_only_the_values_offered():
    @dataclass(frozen=True)
    class Rates(QueryState):
        alpha: float = setting(0.1, lo=1e-4, hi=10.0, choices=(0.01, 0.1, 1.0))
        iters: int = setting(100, lo=0, hi=1000, choices=(100, 500))

    assert Rates.parse({"alpha": "1", "iters": "500"}) == (Rates(alpha=1.0, iters=500), [])
    p, notes = Rates.parse({"alpha": "0.05", "iters": "200"})
    assert p == Rates() and notes == ["alpha=0.05 is not one of 0.01, 0.1, 1.0; using 0.1.",
                                      "iters=200 is not one of 100, 500; using 100."]
