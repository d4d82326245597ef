"""Your own data for the optimiser race: a CSV upload or points typed into a table, kept in this browser
session only (a link cannot carry them).

Every file or edit goes through core.data.owndata.parse_csv, which words each problem as one plain sentence; a bad
file shows that sentence and the previous data stay. The data are kept under st.session_state["own_data"]:
{"digest", "name", "data": OwnData}. An upload is read once (its file_id is remembered with the outcome).
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from core.data.owndata import LIMITS_TEXT, MAX_BYTES, csv_columns, parse_csv
from core.errors import InputError
from core.figures.optimisers import points_figure
from ui.charts import chart
from ui.common import escape_markdown, show_input_error

KEY = "own_data"            # session_state: the data in use, or absent
_SEEN = "own_data_seen"     # session_state: (file_id, feature, label) of the upload last read, and its error or None
EDIT_ROWS = 1000            # the table of points is offered up to this many rows


def own_data():
    """The data kept in this session ({"digest", "name", "data"}), or None."""
    return st.session_state.get(KEY)


def _keep(data, name, digest):
    st.session_state[KEY] = {"digest": digest, "name": name, "data": data}


def _read(raw, name, feature=None, label=None):
    """Parse the bytes; on success keep them as the session's data. Returns the error message or None."""
    try:
        data = parse_csv(raw, feature, label)
    except InputError as err:
        return str(err)
    digest = hashlib.sha1(raw + f"|{data.feature}|{data.label}".encode()).hexdigest()
    _keep(data, name, digest)
    return None


def _upload():
    up = st.file_uploader("Upload a CSV file: a header row, one feature column (numbers) and one label column "
                          "(0 or 1)", type=["csv", "txt"], key="own_csv",
                          max_upload_size=max(1, MAX_BYTES // 1_000_000))
    if up is None:
        return
    raw = up.getvalue()
    feature = label = None
    try:
        columns = csv_columns(raw)
    except InputError as err:
        columns, error = (), str(err)
    else:
        error = None
    if len(columns) > 2:
        c1, c2 = st.columns(2)
        feature = c1.selectbox("Feature column", columns, key="own_feature")
        label = c2.selectbox("Label column (0 or 1)", columns, index=len(columns) - 1, key="own_label")
    seen = (up.file_id, feature, label)
    last = st.session_state.get(_SEEN)
    if last is None or last[0] != seen:
        if error is None:
            error = _read(raw, up.name, feature, label)
        st.session_state[_SEEN] = (seen, error)
    else:
        error = last[1]
    if error:
        kept = own_data()
        show_input_error(error)
        st.caption("The race keeps " + (f"your previous data ({escape_markdown(kept['name'])})." if kept
                                        else "the page's data set."))


def _edit():
    """A table of the points: add, change or delete rows, then use them."""
    if not st.toggle("Edit points in a table", key="own_edit_on"):
        return
    kept = own_data()
    if kept is not None and kept["data"].m > EDIT_ROWS:
        st.caption(f"Your data have {kept['data'].m:,} rows; the table of points is offered up to {EDIT_ROWS:,}.")
        return
    if kept is not None:
        d = kept["data"]
        names = (d.feature, d.label)
        rows = {"x": [float(v) for v in d.x_raw[0]], "y": [int(v) for v in d.y[0]]}
    else:
        names = ("x", "y")
        rows = {"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "y": [0, 0, 1, 0, 1, 1]}
    st.caption("Change a value, add a row at the bottom or select rows and delete them; then use the points. "
               "x is any number, y is 0 or 1.")
    table = st.data_editor(rows, num_rows="dynamic", key="own_points", hide_index=True, height=240,
                           column_config={"x": st.column_config.NumberColumn(names[0]),
                                          "y": st.column_config.NumberColumn(names[1], min_value=0, max_value=1,
                                                                             step=1)})
    if st.button("Use these points", key="own_points_use"):
        xs, ys = list(table["x"]), list(table["y"])
        lines = ["x,y"] + [f"{_cell(a)},{_cell(b)}" for a, b in zip(xs, ys, strict=True)]
        error = _read("\n".join(lines).encode(), "the table of points")
        if error:
            show_input_error(error)


def _cell(value):
    """A table cell as CSV text: an empty cell stays empty (parse_csv then says which row)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def own_data_box():
    """The "Your own data" controls; returns the session's data ({"digest", "name", "data"}) or None."""
    st.markdown(f"One feature and a 0/1 label, {escape_markdown(LIMITS_TEXT)}. The feature is standardised "
                "(mean 0, standard deviation 1), as the bundled sets are.")
    st.caption("Your data stay in this browser session only: they are not saved on the server, and a link to "
               "this page cannot carry them (it keeps the settings, not the data).")
    upload, edit = st.tabs(["Upload a CSV file", "Type or edit points"])
    with upload:
        _upload()
    with edit:
        _edit()
    kept = own_data()
    if kept is not None:
        d = kept["data"]
        st.caption(f"In use: {escape_markdown(kept['name'])}, {d.m:,} examples, {d.n_ones:,} labelled 1"
                   + (" (one threshold separates the classes)." if d.separable else "."))
        chart(points(kept["digest"], d), key="own_points_chart", config={"displaylogo": False},
              alt=f"Your data: {d.m} points, the feature across and the label, 0 or 1, up.")
        st.button("Forget my data", key="own_forget", on_click=forget)
    return kept


@st.cache_resource(max_entries=16, show_spinner=False)
def points(digest, _data):
    """The figure of the session's data points, once per data (digest)."""
    return points_figure(_data.x_raw, _data.y, _data.feature, _data.label)


def forget():
    """Drop the session's data; the race goes back to the page's data set."""
    st.session_state.pop(KEY, None)
    st.session_state["own_on"] = False
