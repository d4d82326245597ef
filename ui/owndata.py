"""Your own data on the Cost basin: a CSV upload, points added, dragged and deleted on the point editor
(ui/point_editor.py), or points typed into a table; kept in this browser session only (a link cannot carry them).

Once the session holds data, the page's Dataset selector offers them ("Your data (uploaded, 40 points)") and every
part of the page follows them: the 3D basin, the top view, the data panel, the cost curve, the named rates, the
explanations, the steps, the minimum and the optimiser race.

How the data meet the page's caches (ui/basin.py, ui/optimisers.py; shared by every session):
- the Dataset setting and the link say only "own" (core.data.owndata.OWN); `keyed(p)` swaps it for
  "own-<content hash>" (core.data.owndata.digest) before any cached call, so a cache entry is keyed by the data's
  content: equal data share entries, different data never do, and entries stay bounded by each cache's max_entries;
- core.lessons.basin.load gives the arrays of such a key through `_own`, from this session's st.session_state
  only, so a cache entry is computed from the data of the session that asked; another session never reaches them;
- a link with dataset=own on a session without data falls back to the default data set with one note
  (`link_fallback`).

Every upload or edit is read in a widget callback, before the page runs, so the whole page shows the new data on
the same run. Each goes through core.data.owndata (parse_csv, from_points), which words each problem as one plain
sentence; a bad file or edit shows that sentence and the previous data stay. Session keys: "own_data"
({"digest", "name", "kind", "data"}), "own_error", "own_rev" (bumped by every edit, so the editors redraw),
"own_seq" and "own_base" (which of the point editor's edits to take, see _edited), "own_choice" (the uploaded
file's columns when the student chooses the feature and the label).
"""

from __future__ import annotations

import dataclasses
import functools
import html

import numpy as np
import streamlit as st

from core.data.datasets import ONE_FEATURE_SETS
from core.data.owndata import (
    LIMITS_TEXT,
    MAX_BYTES,
    MAX_ROWS,
    OWN,
    csv_columns,
    default_columns,
    digest,
    from_points,
    label_columns,
    parse_csv,
)
from core.errors import InputError
from core.lessons import basin
from ui.common import escape_markdown, show_input_error
from ui.point_editor import point_editor

KEY = "own_data"            # session_state: the data in use, or absent
ERROR = "own_error"         # session_state: the last upload's or edit's problem, one sentence, or absent
REV = "own_rev"             # session_state: bumped by every upload or edit (the editors' keys and data carry it)
SEQ = "own_seq"             # session_state: the sequence number of the point editor's last edit taken
BASE = "own_base"           # session_state: the oldest revision whose drawing's edits are still taken (else REV)
CHOICE = "own_choice"       # session_state: the uploaded file's columns, when the student chooses the two
PREFIX = OWN + "-"          # cache keys of own data: "own-<digest>"
EDIT_ROWS = 1000            # the point editor and the table are offered up to this many points
DEFAULT = basin.BasinParams().dataset
KINDS = {"uploaded": "uploaded", "edited": "edited points", "typed": "typed points"}


def own_data():
    """The data kept in this session ({"digest", "name", "kind", "data"}), or None."""
    return st.session_state.get(KEY)


# ---------------------------------------------------------------- the page's Dataset setting and its caches


def dataset_options():
    """The Dataset selector's options: the bundled sets, and "own" when this session holds data."""
    if own_data() is None:
        if st.session_state.get("dataset") == OWN:     # data forgotten or never here: back to the default
            st.session_state.dataset = DEFAULT
        return list(ONE_FEATURE_SETS)
    return [*ONE_FEATURE_SETS, OWN]


def dataset_title(name):
    """How the Dataset selector shows an option."""
    kept = own_data()
    if name == OWN and kept is not None:
        return f"Your data ({KINDS[kept['kind']]}, {kept['data'].m:,} points)"
    return ONE_FEATURE_SETS.get(name, str(name))


def data_key(name):
    """The cache key of a Dataset setting: "own-<content hash>" for this session's data, else the name."""
    kept = own_data()
    return PREFIX + kept["digest"] if name == OWN and kept is not None else name


def keyed(p):
    """The page's settings with the Dataset setting as its cache key (data_key)."""
    return dataclasses.replace(p, dataset=data_key(p.dataset)) if p.dataset == OWN else p


def is_own(key):
    return isinstance(key, str) and key.startswith(PREFIX)


def load(key, seed):
    """(x (1, m), y (1, m), OneFeature) of a cache key (core.lessons.basin.load, which asks _own for own data)."""
    return basin.load(key, seed)


def _own(key):
    """This session's data for "own-<digest>"; InputError when the session no longer holds those data."""
    kept = own_data()
    if kept is None or PREFIX + kept["digest"] != key:
        raise InputError("Your data are no longer in this browser session; upload them again or choose a "
                         "data set.")
    d = kept["data"]
    source = {"uploaded": f"Your file {kept['name']}", "edited": "Your edited points",
              "typed": "Your typed points"}[kept["kind"]]
    data = d.one_feature(key, source)
    # Escaped once, here, for where the page puts them: the description in markdown (a caption), the feature's
    # name in the figure (plotly reads a few HTML tags and %{...} in its labels).
    label = html.escape(data.feature_label, quote=False).replace("%{", "% {")
    return d.x, d.y, dataclasses.replace(data, description=escape_markdown(data.description), feature_label=label)


basin.own_loader = _own     # every load of "own-<digest>" (the page's caches, its questions) reads this session


def link_fallback(p):
    """(params, notes): a link's settings with dataset=own replaced by the default data set when this session
    holds no data of its own (a link cannot carry them)."""
    if p.dataset != OWN or own_data() is not None:
        return p, []
    return dataclasses.replace(p, dataset=DEFAULT), [
        f"This link was made with someone's own data (a file, or points drawn or typed), which a link cannot carry "
        f"(they stay in the browser session they were made in); it shows {ONE_FEATURE_SETS[DEFAULT]} instead. To "
        "see them here, load the same data under the basin."]


def dataset_select(on_change):
    """The sidebar's Dataset selector (with this session's data when it holds some), and what a link keeps."""
    titles = {name: dataset_title(name) for name in dataset_options()}    # fixed now: a format_func is called later
    st.selectbox("Dataset", list(titles), key="dataset", format_func=titles.get,
                 on_change=functools.partial(_dataset_changed, on_change))
    if st.session_state.get("dataset") == OWN:
        st.caption("Your data stay in this browser session: a link to this page keeps every setting but not "
                   f"the data, and opens with {ONE_FEATURE_SETS[DEFAULT]} elsewhere.")


def _dataset_changed(then):
    """The Dataset selector's callback: `then` (the page's), unless the "change" is only an old title coming back.

    The browser sends the selected option's title; when it was sent before the page had redrawn the selector with
    new data's title (points added faster than the page reruns: "Your data (edited points, 12 points)" while the
    data now have 13), Streamlit finds no such option and hands the title on as the value. The selection did not
    change: it is still the session's data (if they were forgotten meanwhile, the default set, from its start)."""
    value = st.session_state.get("dataset")
    if value in ONE_FEATURE_SETS or value == OWN:
        return then()
    if own_data() is not None:
        st.session_state.dataset = OWN
        return None
    st.session_state.dataset = DEFAULT
    return then()


# ---------------------------------------------------------------- taking new data (widget callbacks)


def _accept(data, name, kind):
    """Keep new data as the session's own, show them (Dataset "own") from their own default start point."""
    st.session_state[KEY] = {"digest": digest(data), "name": name, "kind": kind, "data": data}
    st.session_state.pop(ERROR, None)
    _bump(kind == "edited")
    st.session_state.dataset = OWN
    st.session_state.w0, st.session_state.b0 = basin.default_start(data.x, data.y)


def _refuse(err, editor=False):
    st.session_state[ERROR] = str(err)
    _bump(editor)                                               # the editors redraw the data still in use


def _bump(editor):
    """A new revision of the data shown. Only the point editor's own edits keep taking its later edits from the
    drawings before (see _edited); anything else (a file, the table, forgetting) makes them edits of old data."""
    if not editor:
        st.session_state.pop(BASE, None)
    st.session_state[REV] = st.session_state.get(REV, 0) + 1


def _uploaded():
    """The uploader's callback: read the file (both columns chosen when it has more than two, or two that are
    both 0/1: either could be the label). The boxes start at core.data.owndata.default_columns (the label the
    column of 0s and 1s, wherever it is; the feature the first other column of numbers that is not a row number),
    or keep the student's last choice when it still fits the new file (both columns there, the label all 0/1)."""
    st.session_state.pop(CHOICE, None)
    up = st.session_state.get("own_csv")
    if up is None:                                   # the file was removed from the uploader: the data stay
        st.session_state.pop(ERROR, None)
        return
    raw = up.getvalue()
    try:
        columns = csv_columns(raw)
        zero_one = label_columns(raw)
        choose = len(columns) > 2 or len(zero_one) == 2
        chosen = st.session_state.get("own_feature"), st.session_state.get("own_label")
        if choose and not (chosen[0] in columns and chosen[1] in zero_one and chosen[0] != chosen[1]):
            chosen = default_columns(raw)
    except InputError as err:
        return _refuse(err)
    if choose:
        st.session_state[CHOICE] = columns
        st.session_state.own_feature, st.session_state.own_label = chosen
    _read(raw, up.name)


def _columns_chosen(changed):
    """A column box's callback: read the file with the chosen columns. Choosing for one box the column the other
    shows moves the other to the column that goes with it (label passed, feature passed: the feature becomes
    hours), rather than refusing "both are 'passed'"."""
    up = st.session_state.get("own_csv")
    if up is None:
        return
    raw = up.getvalue()
    feature, label = st.session_state.get("own_feature"), st.session_state.get("own_label")
    if feature == label:
        try:
            feature, label = default_columns(raw, **{changed: feature})
        except InputError as err:
            return _refuse(err)
        st.session_state.own_feature, st.session_state.own_label = feature, label
    _read(raw, up.name)


def _read(raw, name):
    feature, label = ((st.session_state.own_feature, st.session_state.own_label) if st.session_state.get(CHOICE)
                      else (None, None))
    try:
        _accept(parse_csv(raw, feature, label), name, "uploaded")
    except InputError as err:
        _refuse(err)


def _edited(x_range):
    """The point editor's callback: its points, checked here, become the session's data.

    Each edit carries the whole list of points, the revision of the drawing it was made on ("rev") and the
    editor's sequence number ("seq", one more for every edit, continuing from the last one taken). The newest list
    is taken, so a student who clicks faster than the page reruns loses nothing: the second click's list, made
    on the drawing before the first click was taken, holds both points. Not taken: a list older than one already
    taken (its seq), and an edit of data no longer shown: made on a drawing from before anything but the editor
    changed the data (a file, the table, forgetting), whose list would bring the old data back."""
    event = st.session_state.get("own_editor", {}).get("edit")
    if not isinstance(event, dict):
        return
    rev, seq, now = event.get("rev"), event.get("seq"), st.session_state.get(REV, 0)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (rev, seq)):
        return
    base = st.session_state.get(BASE, now)
    if seq <= st.session_state.get(SEQ, 0) or not base <= rev <= now:
        return                                       # an older list, or an edit of data no longer shown
    st.session_state[SEQ] = seq
    st.session_state[BASE] = base                    # the editor's next edits from these drawings stay welcome
    names = st.session_state.get("own_names", ("x", "label"))
    try:
        _accept(from_points(event.get("points"), x_range, EDIT_ROWS, *names), "points on the editor", "edited")
    except InputError as err:
        _refuse(err, editor=True)


def _typed(base, names):
    """The table's "Use these points": the shown rows with the table's edits, checked, become the data."""
    changes = st.session_state.get(f"own_points_{st.session_state.get(REV, 0)}") or {}
    rows = [dict(r) for r in base]
    for i, change in (changes.get("edited_rows") or {}).items():
        if 0 <= int(i) < len(rows):
            rows[int(i)].update(change)
    deleted = {int(i) for i in changes.get("deleted_rows") or []}
    rows = [r for i, r in enumerate(rows) if i not in deleted] + list(changes.get("added_rows") or [])
    points = [[_number(r.get("x")), _number(r.get("y"))] for r in rows]
    try:
        _accept(from_points(points, (-1e15, 1e15), EDIT_ROWS, *names, table=True), "the table of points", "typed")
    except InputError as err:
        _refuse(err)


def _number(value):
    """A table cell as a number for from_points (an empty cell becomes NaN, which it refuses with the row)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return float("nan")


def forget():
    """Drop the session's data; the page goes back to the default data set."""
    st.session_state.pop(KEY, None)
    st.session_state.pop(ERROR, None)
    _bump(False)
    if st.session_state.get("dataset") == OWN:
        st.session_state.dataset = DEFAULT
        st.session_state.w0, st.session_state.b0 = basin.default_start(
            *basin.load(DEFAULT, st.session_state.get("seed", 0))[:2])


# ---------------------------------------------------------------- the section under the basin


def data_section(p, curv):
    """Under the basin: the minimum of the data shown, in numbers, and the "Your own data" box (built only when
    opened, so a first visit does not pay for it). p: the page's settings (keyed); curv: its curvature."""
    st.markdown(minimum_words(p, curv.minimum))
    with st.expander("Your own data: upload a CSV file, or add, drag and delete points", key="own_open",
                     on_change="rerun") as box:
        if box.open:
            _own_box(p)


def shown_bias(b, w, x):
    """b* as the page prints it: 0 when it is rounding noise, below a billionth of the scale of z = w·x + b on
    these data (symmetric data put the bottom at b* = 0, which Newton's method reaches as −2.5e-16)."""
    return 0.0 if abs(b) <= 1e-9 * max(1.0, abs(w) * float(np.max(np.abs(x)))) else b


def minimum_words(p, mn):
    """One markdown sentence on the minimum of J on the data shown (core.maths.surfaces.Minimum: mn.reason)."""
    x = load(p.dataset, p.seed)[0]
    if mn.finite:
        w = mn.w.item()
        return (f"On these data the minimum of J is at **w\\* = {basin.num(w, '.4g')}, b\\* = "
                f"{basin.num(shown_bias(mn.b, w, x), '.4g')}**, where **J\\* = {basin.num(mn.cost, '.4g')}** (Newton's "
                "method; the yellow star on the top view, a yellow diamond on the 3D basin).")
    if mn.reason == "ties":
        name, value = "x", f"{mn.tie:.4g}"
        kept = own_data()
        if is_own(p.dataset) and kept is not None:     # in the data's own units: hours = 5, not x = 0.07
            d = kept["data"]
            name, value = escape_markdown(d.feature), f"{d.x_raw[0][np.argmin(np.abs(d.x[0] - mn.tie))]:g}"
        return (f"On these data J has no finite minimum: the classes overlap only at **{name} = {value}** (every "
                "other example lies on its own class's side of it), so J keeps falling as w grows, towards a lowest "
                "value it never reaches.")
    if mn.reason == "not converged":
        return (f"On these data Newton's method found no minimum of J: J was still falling where it stopped (w = "
                f"{mn.w.item():.4g}, b = {mn.b:.4g}), so the page claims none. J may keep falling as w grows, or "
                "reach its lowest point far outside the map.")
    return ("On these data J has no finite minimum: some w separates the classes, and J keeps falling as w "
            "grows.")


def _own_box(p):
    st.markdown(f"One feature and a 0/1 label, {escape_markdown(LIMITS_TEXT)}. The feature is standardised "
                "(mean 0, standard deviation 1), as the bundled real sets (tumour, iris) are. The basin, the named "
                "rates, the minimum and the race all follow your data.")
    st.caption("Your data stay in this browser session only: they are not saved on the server, and a link to "
               "this page cannot carry them (it keeps the settings, not the data).")
    if st.session_state.get(ERROR):
        kept = own_data()
        show_input_error(st.session_state[ERROR])
        st.caption("The page keeps " + (f"your previous data ({escape_markdown(kept['name'])})." if kept
                                        else "the data set it showed."))
    edit, upload, table = st.tabs(["Add, drag and delete points", "Upload a CSV file", "Type points in a table"])
    source = _source(p)
    with edit:
        _editor(source)
    with upload:
        _upload()
    with table:
        _table(source)
    kept = own_data()
    if kept is not None:
        d = kept["data"]
        which = which_columns(d) if kept["kind"] == "uploaded" else ""     # drawn or typed: x and label
        st.caption(f"Your data: {escape_markdown(kept['name'])}, {d.m:,} examples, {d.n_ones:,} labelled 1"
                   + (" (one threshold separates the classes)." if d.separable else ".")
                   + (f" {escape_markdown(d.read_as)}" if d.read_as else "")
                   + (f" {escape_markdown(which)}" if which else ""))
        st.button("Forget my data", key="own_forget", on_click=forget)


def which_columns(d):
    """Which column of an uploaded file is the feature and which the label, as a sentence, unless d.read_as
    already says so ("" then).

    >>> from core.data.owndata import parse_csv
    >>> which_columns(parse_csv(b"id,hours,passed\\n1,2.5,0\\n2,4,1\\n", "hours", "passed"))
    "'hours' is the feature and 'passed' the label."
    """
    said = f"{d.feature[:40]!r} is the feature and {d.label[:40]!r} the label"
    return "" if said in d.read_as else said + "."


def _source(p):
    """(x values, labels, (feature, label)) the editors start from: the session's data in their own units, or
    the data set shown now."""
    kept = own_data()
    if kept is not None:
        d = kept["data"]
        return d.x_raw[0], d.y[0], (d.feature, d.label)
    x, y, data = load(p.dataset, p.seed)
    return x[0], y[0], (data.feature_label, "label")      # the values are standardised, and their name says so


def _upload():
    st.file_uploader("Upload a CSV file: a header row, one feature column (numbers) and one label column "
                     "(0 or 1)", type=["csv", "tsv", "txt"], key="own_csv", on_change=_uploaded,
                     max_upload_size=max(1, MAX_BYTES // 1_000_000))
    columns = st.session_state.get(CHOICE) if st.session_state.get("own_csv") is not None else None
    if columns:                                      # set by _uploaded: more than two columns, or two 0/1 ones
        c1, c2 = st.columns(2)
        c1.selectbox("Feature column", columns, key="own_feature", on_change=_columns_chosen, args=("feature",))
        c2.selectbox("Label column (0 or 1)", columns, key="own_label", on_change=_columns_chosen, args=("label",))
    st.caption(f"At most {MAX_ROWS:,} rows.")


def editor_range(xs):
    """The point editor's x axis: the values' range and a tenth of it on each side, rounded outwards, each end to
    12 significant digits (7 × 0.1 is 0.7000000000000001: a point dragged to that end comes back as 0.7).

    >>> editor_range([1.0, 3.5])
    (0.7, 3.8)
    """
    lo, hi = float(np.min(xs)), float(np.max(xs))
    pad = 0.1 * (hi - lo) if hi > lo else 1.0
    step = 10 ** np.floor(np.log10(pad))
    ends = np.floor((lo - pad) / step) * step, np.ceil((hi + pad) / step) * step
    return tuple(float(f"{v:.12g}") for v in ends)


def _editor(source):
    xs, ys, names = source
    if xs.size > EDIT_ROWS:
        st.caption(f"These data have {xs.size:,} points; the point editor is offered up to {EDIT_ROWS:,}.")
        return
    x_range = editor_range(xs)
    st.session_state.own_names = names
    rev = st.session_state.get(REV, 0)
    point_editor(xs, ys, x_range, feature=names[0], label=names[1], rev=rev, seq=st.session_state.get(SEQ, 0),
                 base=st.session_state.get(BASE, rev), key="own_editor", on_edit=functools.partial(_edited, x_range),
                 max_points=EDIT_ROWS)


def _table(source):
    """A table of the points: change a value, add or delete rows, then use them (the editor's accessible twin)."""
    if not st.toggle("Edit the points in a table", key="own_edit_on"):
        return
    xs, ys, names = source
    if xs.size > EDIT_ROWS:
        st.caption(f"These data have {xs.size:,} rows; the table of points is offered up to {EDIT_ROWS:,}.")
        return
    base = [{"x": float(a), "y": int(b)} for a, b in zip(xs, ys, strict=True)]
    st.caption("Change a value, add a row at the bottom or select rows and delete them; then use the points. "
               "x is any number, y is 0 or 1.")
    st.data_editor({"x": [r["x"] for r in base], "y": [r["y"] for r in base]}, num_rows="dynamic",
                   key=f"own_points_{st.session_state.get(REV, 0)}", hide_index=True, height=240,
                   column_config={"x": st.column_config.NumberColumn(names[0]),
                                  "y": st.column_config.NumberColumn(names[1], min_value=0, max_value=1, step=1)})
    st.button("Use these points", key="own_points_use", on_click=_typed, args=(base, names))
