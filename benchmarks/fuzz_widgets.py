"""Random widget sequences against every page: what a student's browser can send, one move at a time (AppTest).

    .venv/bin/python benchmarks/fuzz_widgets.py --sessions 40 --moves 25 --seed 1    # about 1 s a move on 2 cores

Each session opens one page (the pages taken in turn) and makes random moves, each followed by a rerun, in the
same session, so that settings pile up as a student's do: a slider to its ends or anywhere on its steps, a select
box, radio or select slider to any option (sent as the browser sends it: the option's shown text), a checkbox or
toggle flipped, a button pressed, a number typed (its bounds, 0, anything between them; ±1e9 and ±1e308 where it
has no bound), hostile text typed into a text field. Uploads are left to the upload fuzzing (tests/unit), and
the face finder's retraining button (LONG_BUTTONS) to its own benchmark.

A move fails if the page then shows an exception, loses its title, or shows a traceback in an error or warning
box. The script prints and saves (benchmarks/results/) every failing session with its moves (replay one with
run_session(page, moves, seed)), and the slowest moves (server time of the rerun after the move).
tests/apptest/test_fuzz_widgets.py runs a small sample in CI.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fuzz_links import HOSTILE  # noqa: E402
from ui.registry import PAGES  # noqa: E402

APP = ROOT / "app.py"
KINDS = ("slider", "select_slider", "selectbox", "radio", "checkbox", "toggle", "button", "number_input",
         "text_input", "text_area")
UNBOUNDED = (1e9, -1e9, 1e308, -1e308)
# Buttons whose label promises a wait (the face finder's retraining: "a minute or two"): timed by its own benchmark
# (benchmarks/finder_speed.py), left out here so that a sweep stays a sweep.
LONG_BUTTONS = ("a minute or two",)


def _as_sent(widget, index):
    """Make `widget` (a radio, select box or select slider) send its option `index` as a browser does: the option's
    shown text. AppTest's own set_value wants the option's value, which a format_func hides from the test."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState()
    state.id = widget.id
    if widget.type == "select_slider":
        state.string_array_value.data[:] = [widget.options[index]]
    else:
        state.string_value = widget.options[index]
    widget.__class__ = type(widget.__class__.__name__, (widget.__class__,),
                            {"_widget_state": property(lambda self: state)})


def widgets(at):
    """Every widget a move can touch: [(kind, widget)], enabled ones only, in page order."""
    out = []
    for kind in KINDS:
        for w in getattr(at, kind):
            if getattr(w.proto, "disabled", False):
                continue
            if kind == "button" and any(s in w.label for s in LONG_BUTTONS):
                continue
            out.append((kind, w))
    return out


def number_choices(w):
    """Numbers a student can type: the bounds, 0, one between them; huge ones where a bound is missing."""
    from streamlit.proto.NumberInput_pb2 import NumberInput as NumberInputProto

    lo, hi = w.min, w.max
    whole = w.proto.data_type == NumberInputProto.INT
    huge = (10**9, -10**9, 2**53, -(2**53)) if whole else UNBOUNDED
    picks = [0, lo, hi] + ([] if lo is not None and hi is not None else list(huge))
    if lo is not None and hi is not None:
        picks.append(lo + (hi - lo) * random.Random(w.id).random())
    picks = [p for p in picks if p is not None and (lo is None or p >= lo) and (hi is None or p <= hi)]
    return [int(round(p)) for p in picks] if whole else [float(p) for p in picks]


def slider_choices(w):
    lo, hi, step = w.min, w.max, w.step
    if not isinstance(lo, (int, float)):
        return []          # a date or time slider: none in the app
    n = int(round((hi - lo) / step)) if step else 0
    mid = lo + step * random.Random(w.id).randrange(0, n + 1) if n else lo
    vals = [lo, hi, mid]
    if isinstance(lo, float) or isinstance(step, float):
        vals = [round(float(v), 10) for v in vals]
    return vals


def move(at, rng):
    """One random move on the page as it stands; returns its description, or None if the page has no widget."""
    choices = widgets(at)
    if not choices:
        return None
    kind, w = rng.choice(choices)
    label = getattr(w, "label", "") or w.key or kind
    if kind == "slider":
        value = w.value
        if isinstance(value, (list, tuple)):
            vals = sorted(rng.sample(slider_choices(w), 2))
            w.set_value(tuple(vals))
            return f"{kind} {label!r} → {vals}"
        vals = slider_choices(w)
        if not vals:
            return None
        v = rng.choice(vals)
        w.set_value(v)
        return f"{kind} {label!r} → {v}"
    if kind in ("select_slider", "selectbox", "radio"):
        if not w.options:
            return None
        i = rng.randrange(len(w.options))
        _as_sent(w, i)
        return f"{kind} {label!r} → {w.options[i]!r}"
    if kind in ("checkbox", "toggle"):
        w.set_value(not w.value)
        return f"{kind} {label!r} → {w.value}"
    if kind == "button":
        w.click()
        return f"button {label!r} pressed"
    if kind == "number_input":
        v = rng.choice(number_choices(w))
        w.set_value(v)
        return f"{kind} {label!r} → {v}"
    text = rng.choice(HOSTILE) if rng.random() < 0.7 else rng.choice(["", "0", "1,2,3", "x" * 5000])
    w.set_value(text)
    return f"{kind} {label!r} → {text[:40]!r}{'…' if len(text) > 40 else ''}"


def problems(at, title):
    out = [f"exception: {e.message[:160]}" for e in at.exception]
    if title != "Home" and title not in [t.value for t in at.title]:
        out.append(f"title {title!r} missing")
    for box in (*at.error, *at.warning):
        text = str(box.value)
        if "Traceback" in text or 'File "' in text:
            out.append(f"a traceback in a message box: {text[:120]!r}")
    return out


def open_page(page, timeout=60):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    at.switch_page(page).run()
    return at


def run_session(page: str, moves: int, seed: int, timeout: float = 60) -> dict:
    """One session: open `page`, make `moves` random moves (seeded); stop at the first move that fails.
    Returns {"page", "seed", "moves": [...], "problems": [...]}."""
    rng = random.Random(seed)
    title = next(p.title for p in PAGES if p.file == page)
    at = open_page(page, timeout)
    done, seconds = [], []
    found = problems(at, title)
    for _ in range(moves):
        if found:
            break
        what = move(at, rng)
        if what is None:
            break
        done.append(what)
        t0 = time.perf_counter()
        at.run()
        seconds.append(time.perf_counter() - t0)
        found = problems(at, title)
    slowest = max(range(len(seconds)), key=seconds.__getitem__) if seconds else None
    return {"page": page, "seed": seed, "moves": done, "problems": found,
            "slowest": None if slowest is None else [done[slowest], round(seconds[slowest], 2)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--moves", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fuzz-widgets.json")
    args = parser.parse_args()
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    pages = [p.file for p in PAGES]
    failures, total_moves, slowest, start = [], 0, [], time.perf_counter()
    for i in range(args.sessions):
        page, seed = pages[i % len(pages)], args.seed * 100_000 + i
        try:
            result = run_session(page, args.moves, seed)
        except Exception as err:  # noqa: BLE001 (a crash of the harness is reported, not hidden)
            result = {"page": page, "seed": seed, "moves": [], "slowest": None,
                      "problems": [f"harness: {type(err).__name__}: {err}"]}
        total_moves += len(result["moves"])
        if result["slowest"]:
            slowest.append([result["slowest"][1], page, result["slowest"][0]])
        if result["problems"]:
            failures.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        print(f"{i + 1} sessions, {total_moves} moves, {len(failures)} failing, "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    summary = {"sessions": args.sessions, "moves_per_session": args.moves, "seed": args.seed,
               "moves": total_moves, "failing_sessions": len(failures),
               "slowest_moves": sorted(slowest, reverse=True)[:10],
               "seconds": round(time.perf_counter() - start, 1), "failures": failures[:50]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    print(json.dumps({k: v for k, v in summary.items() if k != "failures"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
