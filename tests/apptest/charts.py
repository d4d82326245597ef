"""The charts of a page as the browser shows them: each spec with what ui/chart_bridge.js draws into it."""

import json
import re

from ui.chart_bridge import shown

PAYLOAD = re.compile(r"\(window\.__charts = window\.__charts \|\| \{\}\)\[(\"[^\"]*\")\] = (\{.*?\});</script>")


def bridge_payloads(app) -> dict:
    """{spec id: payload} of every kept chart on the page (ui.chart_bridge.bridged_chart)."""
    out = {}
    for h in app.get("html"):
        for m in PAYLOAD.finditer(h.proto.body):
            data = json.loads(m.group(2))
            out[data["id"]] = data
    return out


def shown_specs(app) -> list[dict]:
    """Every plotly chart's figure as shown: its spec, with its payload drawn in when it is a kept chart."""
    payloads = bridge_payloads(app)
    out = []
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        meta = spec.get("layout", {}).get("meta")
        bridge = meta.get("bridge") if isinstance(meta, dict) else None
        out.append(shown(spec, payloads[bridge]) if bridge else spec)
    return out
