"""A finished figure, serialised once (st.plotly_chart then costs only the final json.dumps)."""

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio


def f32(a):
    """float32 keeps the JSON half the size; NaN (a point off the map) stays NaN and is not drawn."""
    return np.asarray(a, dtype=np.float32)


def b64(a):
    """An array in plotly's typed-array JSON form, float32 (half the bytes of float64; plenty for a picture)."""
    a = np.ascontiguousarray(a, dtype=np.float32)
    return {"dtype": "f4", "bdata": base64.b64encode(a.tobytes()).decode("ascii")}


class FrozenFigure(go.Figure):
    """A finished figure, serialised once: to_dict() returns the stored plain dict.

    st.plotly_chart calls fig.to_dict() and then plotly.io.to_json on every rerun; for a big figure the usual deep
    copy and array encoding cost about a second. A cached FrozenFigure costs only the final json.dumps. Read it
    like any figure: .data, .layout and .frames (as dicts in frames_dict).
    """

    def __init__(self, fig, frames=None):
        """fig: the finished figure; frames: its animation frames as plain dicts (default: fig's own)."""
        super().__init__(fig)
        self._frozen = json.loads(pio.to_json(fig, validate=False))
        if frames is not None or "frames" not in self._frozen:
            self._frozen["frames"] = list(frames or ())

    @classmethod
    def from_spec(cls, spec):
        """A FrozenFigure of a plain, JSON-ready figure dict (kept as it is, not re-serialised)."""
        out = cls.__new__(cls)
        go.Figure.__init__(out, {k: v for k, v in spec.items() if k != "frames"}, skip_invalid=True)
        out._frozen = spec
        out._frozen.setdefault("frames", [])
        return out

    @property
    def frames_dict(self):
        return self._frozen["frames"]

    def to_dict(self):
        return self._frozen

    def to_plotly_json(self):
        return self._frozen
