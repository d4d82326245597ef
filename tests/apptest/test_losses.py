"""The squared-error vs log-loss page, headless: every control, the URL, and the numbers it shows."""

import base64
import json
import re

import numpy as np
import pytest

import core.lessons.losses as losses
from core.data.datasets import one_feature
from tests.apptest.charts import bridge_payloads, shown_specs

PAGE = "pages/losses.py"


def charts(app):
    """The page's figures as the browser shows them (a kept chart's spec with its payload drawn in)."""
    return shown_specs(app)


def decode(value):
    """A plotly array from the spec: a list, or {"dtype", "bdata", "shape"} (plotly ≥ 6)."""
    if isinstance(value, dict):
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return arr.reshape([int(s) for s in str(value.get("shape", arr.size)).split(",")])
    return np.asarray(value, dtype=float)


def trace(spec, name):
    return next(t for t in spec["data"] if t.get("name") == name)


def balls(app):
    """Final (w, b) of the rival ball and the log-loss ball, read from the contour figure."""
    spec = charts(app)[0]
    found = [t for t in spec["data"] if t.get("name", "").startswith("ball, ")]
    return [(decode(t["x"])[0], decode(t["y"])[0]) for t in found]


def metric_values(app):
    return [m.value for m in app.metric]


@pytest.fixture
def page(app):
    app.switch_page(PAGE).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_default_is_the_trap_with_two_balls_apart(page):
    assert page.title[0].value == "Losses"
    specs = charts(page)
    assert [t["type"] for t in specs[0]["data"][:2]] == ["heatmap", "contour"]     # colours, level lines
    # The 3D surfaces are built only when their tab is opened (st.tabs on_change="rerun"), then after the map.
    assert not any(t["type"] == "surface" for s in specs for t in s["data"])
    page.session_state["losses_view"] = "3D surfaces"
    page.run()
    assert [s["data"][0]["type"] for s in charts(page)[:2]] == ["heatmap", "surface"]
    page.session_state["losses_view"] = "Contour maps (click a map to start there)"
    page.run()
    d = one_feature("overlap")
    W, B = losses.grid_axes()
    trap = losses.find_trap(d.x, d.y, losses.landscape(d.x, d.y, "sigmoid", "squared", W, B),
                         losses.landscape(d.x, d.y, "sigmoid", "log", W, B))
    assert page.slider(key="w0").value == trap.w0 and page.slider(key="b0").value == trap.b0
    (w_sq, b_sq), (w_log, b_log) = balls(page)
    assert np.hypot(w_sq - w_log, b_sq - b_log) > 2
    assert any("Stalled on a plateau" in m.value for m in page.markdown)
    assert metric_values(page)[:2] == ["50.0%", "81.5%"]
    assert dict(page.query_params) == {}                       # defaults: a short link


def test_dataset_and_seed(page):
    page.selectbox(key="dataset").select("tumour").run()
    assert not page.exception
    assert page.query_params["dataset"] == "tumour"
    assert any("Breast tumours" in c.value for c in page.caption)
    page.selectbox(key="dataset").select("overlap").run()
    before = balls(page)
    page.number_input(key="seed").set_value(3).run()
    assert not page.exception and page.query_params["seed"] == "3"
    assert balls(page) != before                               # new data, new trap and paths


@pytest.mark.parametrize("cost, title", [("absolute", "absolute error (L1)<br>sigmoid neuron"),
                                         ("linear", "squared error<br>linear neuron")])
def test_cost_choice(page, cost, title):
    page.radio(key="cost").set_value(cost).run()
    assert not page.exception
    spec = charts(page)[0]
    assert spec["layout"]["annotations"][0]["text"] == title
    assert page.query_params["cost"] == cost
    if cost == "linear":                                       # a bowl: nothing non-convex, no plateaus
        assert not decode(trace(spec, "not convex (orange)")["z"]).any()
        assert any("convex on the whole grid" in c.value for c in page.caption)
    latex = " ".join(e.value for e in page.latex)               # the formulas follow the cost on the left
    for part in losses.RIVAL_LATEX[cost]:
        assert part in latex
    assert (r"\operatorname{sign}(A-Y)" in latex) == (cost == "absolute")
    assert (r"A_{\text{linear}}=w^TX+b" in latex) == (cost == "linear") and r"A=\sigma(w^TX+b)" in latex
    assert r"dZ_{\text{squared}} = (A-Y)\odot A\odot(1-A)" not in latex


def test_presets_fill_the_sliders(page):
    page.radio(key="preset").set_value("zeros").run()
    assert (page.slider(key="w0").value, page.slider(key="b0").value) == (0.0, 0.0)
    assert page.query_params["preset"] == "zeros"
    (w_sq, b_sq), (w_log, b_log) = balls(page)
    assert np.hypot(w_sq - w_log, b_sq - b_log) < 1.0          # from zeros both find the same basin


@pytest.mark.parametrize("key, value", [("w0", 2.5), ("b0", -1.5), ("alpha", 0.3), ("steps", 40)])
def test_sliders_switch_to_a_custom_start(page, key, value):
    page.slider(key=key).set_value(value).run()
    assert not page.exception
    assert page.radio(key="preset").value == "custom"
    assert page.query_params[key] == str(value)
    assert page.query_params["preset"] == "custom"
    if key == "steps":                                          # the cost curves have steps + 1 points
        curves = charts(page)[1]                                # map, curves (the 3D tab is closed)
        assert len(decode(curves["data"][0]["y"])) <= value + 1
    if key == "w0":
        spec = charts(page)[0]
        assert decode(trace(spec, "start")["x"])[0] == pytest.approx(2.5)


def test_custom_start_runs_from_the_sliders(page):
    page.radio(key="preset").set_value("custom").run()
    page.slider(key="w0").set_value(1.0).run()
    page.slider(key="b0").set_value(0.5).run()
    spec = charts(page)[0]
    path = decode(trace(spec, "path, log-loss, sigmoid neuron")["x"])
    assert path[0] == pytest.approx(1.0)


def test_likelihood_controls(page):
    page.radio(key="label").set_value(0).run()
    page.slider(key="p").set_value(0.9).run()
    assert not page.exception
    values = metric_values(page)
    assert values[2] == "0.100" and values[3] == f"{-np.log(0.1):.3f}"
    assert page.query_params["label"] == "0" and page.query_params["p"] == "0.9"


def test_data_set_likelihood_equals_log_loss(page):
    text = next(m.value for m in page.markdown if "exactly the log-loss" in m.value)
    d = one_feature("overlap")
    lk = losses.data_likelihood(d.x, d.y, *balls(page)[1])
    assert f"{lk.J:.4f}" in text


def test_link_restores_settings_and_reports_bad_values(app):
    app.query_params.update({"dataset": "iris", "cost": "absolute", "preset": "custom", "w0": "-4",
                             "b0": "2", "alpha": "0.5", "steps": "abc"})
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.selectbox(key="dataset").value == "iris"
    assert app.radio(key="cost").value == "absolute"
    assert [app.slider(key=k).value for k in ("w0", "b0", "alpha")] == [-4, 2, 0.5]
    assert app.slider(key="steps").value == 300
    assert any("steps=abc is not a number" in c.value for c in app.caption)


def test_rerun_keeps_the_same_figures(page):
    first = [c.proto.spec for c in page.get("plotly_chart")]
    page.run()
    assert [c.proto.spec for c in page.get("plotly_chart")] == first


@pytest.mark.parametrize("dataset", ["separable", "imbalanced", "outlier", "iris"])
def test_every_data_set_opens_with_a_trap(page, dataset):
    page.selectbox(key="dataset").select(dataset).run()
    assert not page.exception
    assert any("Stalled on a plateau" in m.value for m in page.markdown)


def test_linear_neuron_with_a_huge_learning_rate_diverges_politely(page):
    page.radio(key="cost").set_value("linear").run()
    page.slider(key="alpha").set_value(10.0).run()
    assert not page.exception
    assert any("Diverged at step" in m.value for m in page.markdown)


def test_the_page_sends_what_the_sliders_are_drawn_from(page):
    """ui/losses_preview.js gets the data exactly (float64, uint8), each run's cost and J_min, and the charts it
    draws into; the map's and the curves' payloads name the slider settings they were made for."""
    page.radio(key="cost").set_value("absolute").run()
    page.selectbox(key="dataset").set_value("tumour").run()
    page.radio(key="preset").set_value("custom").run()
    page.slider(key="alpha").set_value(0.37).run()
    found = [re.search(r"window\.__lossesRun = (\{.*?\});</script>", h.proto.body) for h in page.get("html")]
    [run] = [json.loads(m.group(1)) for m in found if m]
    data = one_feature("tumour", 0)
    assert np.array_equal(np.frombuffer(base64.b64decode(run["x"]), "<f8"), data.x.ravel())
    assert np.array_equal(np.frombuffer(base64.b64decode(run["y"]), np.uint8), data.y.ravel())
    minima = [losses.landscape(data.x, data.y, act, loss, *losses.grid_axes()).floor   # no bottom: the J approached
              for act, loss, _ in (losses.RIVALS["absolute"], losses.LOG)]
    assert run["costs"] == [["sigmoid", "absolute", minima[0]], ["sigmoid", "log", minima[1]]]
    assert run["charts"] == {"map": "pick", "curves": "losses_curves", "surfaces": "surfaces"} and run["tol"] == 1e-7
    tags = [p.get("tag") for p in bridge_payloads(page).values()]
    settings = {k: page.session_state[k] for k in ("w0", "b0", "alpha", "steps")}
    assert settings["alpha"] == 0.37 and tags.count(settings) == 2


def test_the_3d_surfaces_show_a_new_run_in_the_same_chart(page):
    """With the 3D tab open, a new α keeps the surfaces chart's spec (a kept chart): what the browser shows (the
    spec with its payload drawn in) has the new runs' 3D paths, and the payload names the settings it was made for."""
    page.session_state["losses_view"] = "3D surfaces"
    page.run()
    spec_before = json.loads(page.get("plotly_chart")[1].proto.spec)
    page.slider(key="alpha").set_value(2.5).run()
    assert json.loads(page.get("plotly_chart")[1].proto.spec) == spec_before          # the same chart
    surfaces = charts(page)[1]
    d = one_feature("overlap")
    for run, name in zip(losses_runs(page, d), ("squared error, sigmoid neuron", "log-loss, sigmoid neuron"),
                         strict=True):
        path = trace(surfaces, f"path, {name}")
        assert np.allclose(decode(path["z"]), run.path[:, 2], rtol=1e-6)
        assert path["meta"] == {"role": "path3d", "run": 0 if name.startswith("squared") else 1}
    tags = [p.get("tag") for p in bridge_payloads(page).values()]
    assert tags.count({k: page.session_state[k] for k in ("w0", "b0", "alpha", "steps")}) == 3


def losses_runs(app, data):
    """Both runs for the app's current settings, as core makes them."""
    s = app.session_state
    out = []
    for act, loss, name in (losses.rival(s["cost"]), losses.LOG):
        land = losses.landscape(data.x, data.y, act, loss, *losses.grid_axes())
        out.append(losses.descend(data.x, data.y, act, loss, name, s["w0"], s["b0"], s["alpha"], s["steps"], land))
    return out


def test_a_diverged_run_is_readable(app):
    """The linear neuron at α = 1 from (0, 0) on imbalanced data blows up at step 68: its J is written as
    7.27 × 10¹¹ (not 726755503828.0674), and its accuracy is named for the last finite step it was scored at."""
    app.query_params.update({"dataset": "imbalanced", "cost": "linear", "preset": "custom", "w0": "0", "b0": "0",
                             "alpha": "1", "steps": "300"})
    app.switch_page(PAGE).run()
    assert not app.exception
    d = one_feature("imbalanced")
    W, B = losses.grid_axes()
    land = losses.landscape(d.x, d.y, "linear", "squared", W, B)
    run = losses.descend(d.x, d.y, "linear", "squared", "squared error, linear neuron", 0, 0, 1.0, 300, land)
    assert run.trajectory.status == "diverged"
    text = " ".join(m.value for m in app.markdown)
    assert losses.end_words(run) in text and "× 10" in text
    assert not re.search(r"J = \d{7,}", text)
    labels = [m.label for m in app.metric]
    assert f"squared error, linear neuron: accuracy at step {run.trajectory.steps}, before it blew up" in labels


def test_the_likelihood_lines_write_the_ball_as_the_runs_do(page):
    """The data-set line wrote the log-loss ball as "b = -0.062" and "log P(all labels) = -76.27" (hyphens, where
    the run's line above it writes −0.062), and the one-example line read "p if y = 1" right after naming it a."""
    text = " ".join(m.value for m in page.markdown)
    assert "b = −0.062" in text and "log P(all labels) = −76.27" in text and not re.search(r"= -\d", text)
    assert "is a if y = 1 and 1 − a if y = 0" in text


def test_a_cost_without_a_bottom_is_not_given_one_on_the_page(page):
    """Absolute error on the overlap data has no lowest point: the page said "the bottom itself lies off this map,
    at w = 330, b = -31.9" and "(lowest J = 0.1800)", though J falls to 0.175 towards a step at x = 0.39."""
    page.radio(key="cost").set_value("absolute").run()
    text = " ".join(e.value for e in [*page.markdown, *page.caption])
    assert "lies off this map" not in text and "lowest J = 0.1800" not in text
    assert "J has no lowest point: it keeps falling towards 0.1750" in text
    assert "The trap start is where squared error through a sigmoid stalls; absolute error (L1), sigmoid neuron " \
           "stalls there too." in text


def test_a_run_at_the_step_limit_gives_its_cost_once(app):
    """Separable data, α = 10 from (−4, 6) for 2000 steps: the line read "J = 1.82 × 10⁻⁵ (…). Stopped after 2000 steps
    (the step limit); J = 1.816e-05." (J twice, the second in e-notation)."""
    app.query_params.update({"dataset": "separable", "preset": "custom", "w0": "-4", "b0": "6", "alpha": "10",
                             "steps": "2000"})
    app.switch_page(PAGE).run()
    assert not app.exception
    lines = [m.value for m in app.markdown if m.value.startswith("Ball ends")]
    assert len(lines) == 2 and all(line.count("J = ") == 1 for line in lines)
    assert not re.search(r"\de[+-]\d", " ".join(lines)) and "Stopped after 2000 steps (the step limit)." in lines[0]


def test_the_pages_first_sentence_holds_for_the_linear_neuron_too(page):
    """It said "the same data and the same sigmoid neuron, scored by two costs", also with the linear neuron's
    squared error on the left."""
    page.radio(key="cost").set_value("linear").run()
    first = page.markdown[0].value
    assert "same sigmoid neuron" not in first and first.startswith("Squared error vs log-loss: the same data")


def test_a_ball_crawling_over_a_plateau_is_said_to_stall(app):
    """Imbalanced data, absolute error, from (−5, 6), a × on the page's own map: J went 0.9275 → 0.9139 in 300 steps,
    0.849 above the lowest J, and the page did not say it stalled (its gradient was 3.5 % of the grid's largest)."""
    app.query_params.update({"dataset": "imbalanced", "cost": "absolute", "preset": "custom", "w0": "-5", "b0": "6",
                             "alpha": "1", "steps": "300"})
    app.switch_page(PAGE).run()
    assert not app.exception
    lines = [m.value for m in app.markdown if m.value.startswith("Ball ends")]
    assert len(lines) == 2
    assert "Stalled on a plateau" in lines[0] and "Stalled on a plateau" not in lines[1]
