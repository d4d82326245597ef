"""Settings a user might share, described once and mirrored in the URL.

Like TensorFlow Playground's ``State`` (one table drives serialise and deserialise), each page declares a frozen
dataclass whose fields carry their allowed range in ``metadata``. Field names are also the widget keys and the
URL query keys. ``from_query`` keeps the default for anything it cannot use, and says so in a short note;
``to_query`` leaves defaults out and rounds floats, so links stay short. A page reads and writes its settings
through ``ui.settings`` (``page_settings``, ``keep_settings``).

Example
-------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(QueryState):
...     lr: float = setting(0.1, lo=1e-4, hi=100.0)
...     steps: int = setting(50, lo=1, hi=500)
...     data: str = setting("overlap", choices=("overlap", "separable"))
>>> Demo.from_query({"lr": "0.3", "steps": "abc"})
Demo(lr=0.3, steps=50, data='overlap')
>>> Demo(lr=0.3).to_query()
{'lr': '0.3'}
>>> Demo.parse({"steps": "9999", "colour": "red"})[1]
['steps=9999 is outside 1 to 500; using 50.']
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

_MISSING = object()


def setting(default, *, lo=None, hi=None, choices=None, digits=4, help=""):
    """A dataclass field with its allowed values: a number range [lo, hi] or a tuple of choices.

    digits: significant digits kept for floats in the URL.
    """
    return dataclasses.field(default=default, metadata={
        "lo": lo, "hi": hi, "choices": choices, "digits": digits, "help": help})


def _fmt_float(value, digits):
    text = f"{value:.{digits}g}"
    return text


class QueryState:
    """Mixin for frozen dataclasses of settings: parse from and write to URL query parameters."""

    @classmethod
    def parse(cls, mapping: Mapping):
        """(instance, notes): the settings from a query mapping, and one short sentence per ignored value.

        Unknown keys are ignored silently (other pages' or Streamlit's parameters may share the URL).
        A value may be a string or a list of strings (the last one counts, as in st.query_params).
        """
        values, notes = {}, []
        for f in dataclasses.fields(cls):
            raw = mapping.get(f.name, _MISSING) if hasattr(mapping, "get") else _MISSING
            if raw is _MISSING:
                continue
            if isinstance(raw, (list, tuple)):
                if not raw:
                    continue
                raw = raw[-1]
            value, problem = _convert(f, raw)
            if problem:
                notes.append(f"{f.name}={str(raw)[:40]} {problem}; using {_show(f.default)}.")
            else:
                values[f.name] = value
        return cls(**values), notes

    @classmethod
    def from_query(cls, mapping: Mapping):
        """The settings from a query mapping; bad or missing values keep their defaults."""
        return cls.parse(mapping)[0]

    def to_query(self) -> dict[str, str]:
        """Only the settings that differ from their defaults, as short strings."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value == f.default:
                continue
            out[f.name] = _to_text(f, value)
        return out


def _show(value):
    return repr(value) if isinstance(value, str) else str(value)


def _to_text(f, value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return _fmt_float(value, f.metadata.get("digits", 4))
    return str(value)


def _convert(f, raw):
    """(value, None) or (None, problem) for one raw string against the field's type and range."""
    meta = f.metadata
    kind = type(f.default)
    text = str(raw).strip()
    if kind is bool:
        if text.lower() in {"1", "true", "yes", "on"}:
            return True, None
        if text.lower() in {"0", "false", "no", "off"}:
            return False, None
        return None, "is not on/off (use 1 or 0)"
    if kind in (int, float):
        try:
            value = float(text)
        except ValueError:
            return None, "is not a number"
        if not math.isfinite(value):
            return None, "is not a finite number"
        if kind is int:
            if value != int(value):
                return None, "is not a whole number"
            value = int(value)
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return None, f"is outside {_show(lo)} to {_show(hi)}"
        if kind is float:
            value = float(_fmt_float(value, meta.get("digits", 4)))
        choices = meta.get("choices")
        if choices is not None and value not in choices:
            return None, f"is not one of {', '.join(map(_show, choices))}"
        return value, None
    choices = meta.get("choices")
    if choices is not None and text not in choices:
        return None, f"is not one of {', '.join(map(str, choices))}"
    return text, None
