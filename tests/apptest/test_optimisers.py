"""The Cost basin's optimiser race through app.py: widgets, mini-batches, own data, links."""

import json

import numpy as np
import pytest

from core.markup import notation
from tests.apptest.charts import shown_specs

PAGE = "pages/basin.py"


def _open(app, race=True, **query):
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page(PAGE).run()
    assert not app.exception, [e.message for e in app.exception]
    if race and not app.toggle(key="race_optimisers").value:   # a link with race settings has opened it already
        app.toggle(key="race_optimisers").set_value(True).run()
    return app


def _race_charts(app):
    return [c for c in app.get("plotly_chart") if "race" in (json.loads(c.proto.spec)["layout"].get("meta") or {})]


def test_the_race_is_built_only_when_asked_for(app):
    app.switch_page(PAGE).run()
    assert app.toggle(key="race_optimisers").value is False and not _race_charts(app)   # a first visit: not built
    app.toggle(key="race_optimisers").set_value(True).run()
    assert len(_race_charts(app)) == 1


def test_a_link_with_race_settings_opens_the_race(app):
    app.query_params["opt_batch"] = "32"
    app.switch_page(PAGE).run()
    assert app.toggle(key="race_optimisers").value is True and len(_race_charts(app)) == 1


def _race(app):
    """The race figure's layout.meta["race"] and the figure as the browser shows it (its spec, with what
    ui/chart_bridge.js draws into it)."""
    for spec in shown_specs(app):
        if "race" in (spec["layout"].get("meta") or {}):
            return spec["layout"]["meta"]["race"], spec
    raise AssertionError("no race figure on the page")


def _texts(app):
    """The page's markdown and captions, without the escapes (core.markup) that user strings get."""
    text = " ".join(m.value for m in app.markdown) + " " + " ".join(c.value for c in app.caption)
    return text.replace("\\", "")


def _csv(rows, header="size,label"):
    return (header + "\n" + "".join(f"{x},{y}\n" for x, y in rows)).encode()


GOOD = _csv([(1.0 + 0.1 * i + (3 if i % 3 == 0 else 0), int(i % 3 == 0 or i > 30)) for i in range(40)])


def test_the_race_shows_four_optimisers_with_their_updates_and_limits(app):
    _open(app)
    meta, spec = _race(app)
    assert meta["names"] == ["gd", "momentum", "rmsprop", "adam"]
    legend = [spec["data"][i]["name"] for i in meta["trail"]]
    assert legend[0].startswith("Gradient descent (α = ") and "β = 0.9" in legend[1]
    latex = [e.value for e in app.get("latex")]
    assert any(r"v_{dw} := \beta_1 v_{dw} + dw" in t for t in latex)
    assert any(r"\hat v_{dw}" in t for t in latex)
    text = _texts(app)
    assert "2(1 + β) = 3.8" in text and "Why momentum tolerates larger steps" in text
    assert "w* = " in text and "J* = " in text
    assert "Adam's first step is exactly α" in text


def test_widgets_change_the_race(app):
    _open(app)
    app.checkbox(key="opt_gd").uncheck().run()
    meta, _ = _race(app)
    assert meta["names"] == ["momentum", "rmsprop", "adam"]
    app.select_slider(key="opt_rate").set_value(2.5).run()
    app.slider(key="opt_steps").set_value(100).run()
    meta, spec = _race(app)
    assert meta["frames"] == 101
    # momentum with β = 0.9 is inside its limit at 2.5 (3.8), yet in 100 steps this run was thrown out and has not
    # come back: the page says where it is, not that it settles; gradient descent (not raced) would bounce (limit 2)
    text = _texts(app)
    assert "at 2.5 near the bottom its swings shrink" in text and "in this race, after 100 steps, it is" in text
    assert "it settles" not in text and "bounces around the bottom" in text
    assert not app.exception


def test_a_smaller_batch_makes_a_noisy_seeded_path_with_epochs(app):
    _open(app)
    _, full = _race(app)
    app.select_slider(key="opt_batch").set_value(8).run()
    meta, small = _race(app)
    assert "Batches of B = 8" in _texts(app) and "25 updates" in _texts(app)
    assert small["data"][meta["trail"][0]]["x"] != full["data"][meta["trail"][0]]["x"]
    app.number_input(key="opt_seed").set_value(5).run()
    _, other_seed = _race(app)
    assert other_seed["data"][meta["trail"][0]]["x"] != small["data"][meta["trail"][0]]["x"]
    assert app.query_params["opt_batch"] in ("8", ["8"]) and app.query_params["opt_seed"] in ("5", ["5"])


def test_the_step_table_holds_each_optimisers_state_and_downloads(app):
    _open(app)
    app.selectbox(key="opt_table").set_value("adam")
    app.toggle(key="opt_table_on").set_value(True).run()
    columns = [list(f.value.columns) for f in app.dataframe]
    assert any({"v_dw", "s_dw", "v_hat_dw", "s_hat_dw", "J"} <= set(c) for c in columns)
    assert any(b.proto.label == "Download the steps as CSV" for b in app.get("download_button"))


def _own_box(app):
    app.session_state["own_open"] = True          # the student opens "Your own data" under the basin
    app.run()


def test_own_csv_drives_the_race_and_a_bad_file_keeps_it(app):
    _open(app)
    _own_box(app)
    app.file_uploader(key="own_csv").set_value(("tumours.csv", GOOD, "text/csv")).run()
    assert not app.exception and not app.error
    assert app.selectbox(key="dataset").value == "own"            # an upload shows the data, race included
    meta, spec = _race(app)
    assert "On your data (size → label): m = 40 examples" in _texts(app)
    own_map = spec["data"][0]["z"]
    app.file_uploader(key="own_csv").set_value(("bad.csv", b"size,label\n1,2\n3,0\n", "text/csv")).run()
    assert not app.exception
    assert len(app.error) == 1 and "0 or 1" in app.error[0].value
    assert "your previous data (tumours.csv)" in _texts(app)
    _, spec = _race(app)
    assert spec["data"][0]["z"] == own_map                    # the race still runs on the good file
    assert "On your data (size → label): m = 40 examples" in _texts(app)
    assert "cannot carry" in _texts(app)


@pytest.mark.parametrize("data, word", [
    (b"", "empty"),
    (b"\xff\xfe\x00bad", "UTF-8"),
    (b"size,label\n1,1\n2,1\n", "class"),
    (b"size,label\n1,nan\n2,0\n", "label"),
])
def test_bad_files_get_one_sentence(app, data, word):
    _open(app)
    _own_box(app)
    app.file_uploader(key="own_csv").set_value(("x.csv", data, "text/csv")).run()
    assert not app.exception
    assert len(app.error) == 1 and word.lower() in app.error[0].value.replace("\\", "").lower()
    assert app.error[0].value.replace("\\", "").count(". ") <= 1


def test_link_round_trip_keeps_the_race_settings(app):
    query = {"opt_gd": "0", "opt_rate": "2.5", "opt_beta1": "0.95", "opt_rms_beta": "0.99", "opt_beta2": "0.99",
             "opt_eps": "0.0001", "opt_adaptive": "0.3", "opt_batch": "32", "opt_seed": "7", "opt_decay": "1",
             "opt_steps": "120"}
    _open(app, **query)
    assert app.checkbox(key="opt_gd").value is False
    assert app.select_slider(key="opt_rate").value == 2.5
    assert app.select_slider(key="opt_batch").value == 32
    assert app.number_input(key="opt_seed").value == 7
    meta, _ = _race(app)
    assert meta["names"] == ["momentum", "rmsprop", "adam"] and meta["frames"] == 121
    app.run()
    for k, v in query.items():
        assert app.query_params[k] in (v, [v]), k


def test_hostile_race_values_in_a_link_keep_the_defaults(app):
    _open(app, race=False, opt_rate="<script>alert(1)</script>", opt_batch="-5", opt_seed="1e99", opt_eps="nan",
          opt_beta1="1", opt_steps="999999", opt_adam="[x](javascript:1)", opt_decay="inf")
    infos = " ".join(i.value for i in app.info)               # the link's notes, on the page it opened
    assert "opt\\_rate" in infos or "opt_rate" in infos
    assert "<script>" not in infos and "](javascript" not in infos
    app.toggle(key="race_optimisers").set_value(True).run()
    meta, _ = _race(app)
    assert meta["names"] == ["gd", "momentum", "rmsprop", "adam"] and meta["frames"] == 61


def test_a_batch_size_above_m_in_a_link_becomes_the_whole_data_set(app):
    _open(app, opt_batch="5000")
    assert "Batch gradient descent: every step uses all m = 200" in _texts(app)


def test_typed_points_become_the_data(app):
    _open(app)
    _own_box(app)
    app.toggle(key="own_edit_on").set_value(True).run()
    app.button(key="own_points_use").click().run()            # the shown set's 200 points, used as typed
    assert not app.exception and not app.error
    assert app.selectbox(key="dataset").value == "own" and "m = 200 examples" in _texts(app)
    assert "typed points" in app.selectbox(key="dataset").options[-1]
    _, spec = _race(app)
    assert np.isfinite(spec["layout"]["xaxis"]["range"]).all()


def test_a_file_with_more_columns_asks_which_two(app):
    _open(app)
    _own_box(app)
    rows = "".join(f"{i},{1.0 + i * 0.1:.2f},{i % 7},{int(i % 3 == 0 or i > 30)}\n" for i in range(40))
    app.file_uploader(key="own_csv").set_value(("many.csv", ("id,size,age,label\n" + rows).encode(),
                                                "text/csv")).run()
    assert app.selectbox(key="own_label").value == "label"
    app.selectbox(key="own_feature").set_value("size").run()
    assert not app.exception and not app.error
    assert "On your data (size → label): m = 40 examples" in _texts(app)


def test_a_hostile_header_renders_as_text(app):
    _open(app)
    _own_box(app)
    header = "[click](javascript:alert(1)),**y**"
    rows = "".join(f"{1.0 + 0.1 * i},{int(i % 3 == 0 or i > 30)}\n" for i in range(40))
    app.file_uploader(key="own_csv").set_value(("<b>x</b>.csv", (header + "\n" + rows).encode(), "text/csv")).run()
    assert not app.exception and app.selectbox(key="dataset").value == "own"
    raw = " ".join(c.value for c in app.caption) + " " + " ".join(m.value for m in app.markdown)
    assert "](javascript" not in raw and "**y**" not in raw and "<b>" not in raw.replace("\\<b\\>", "")


def test_the_page_sends_what_the_race_is_run_from_as_the_sliders_move(app):
    """ui/race_preview.js gets the data exactly (float64, uint8), the neuron, λ, λ_max, J*, the start, the seed, the
    optimisers in the race's order and the sliders' values; the race chart's payload names the slider settings it
    was made for."""
    import base64
    import re

    from core.lessons import basin
    from core.lessons import race as rc
    from tests.apptest.charts import bridge_payloads

    _open(app, opt_batch="16", opt_seed="7", opt_decay="0.3", dataset="tumour", lambd="0.5")
    app.checkbox(key="opt_rmsprop").set_value(False).run()
    found = [re.search(r"window\.__raceRun = (\{.*?\});</script>", h.proto.body) for h in app.get("html")]
    [run] = [json.loads(m.group(1)) for m in found if m]
    lambd = app.session_state["lambd"]                      # the λ slider's value nearest to the link's
    assert lambd > 0
    p = basin.BasinParams(dataset="tumour", lambd=lambd, w0=app.session_state["w0"], b0=app.session_state["b0"])
    x, y, _ = basin.load("tumour", p.seed)
    assert np.array_equal(np.frombuffer(base64.b64decode(run["x"]), "<f8"), x.ravel())
    assert np.array_equal(np.frombuffer(base64.b64decode(run["y"]), np.uint8), y.ravel())
    settings = rc.RaceSettings(opt_batch=16, opt_seed=7, opt_decay=0.3, opt_rmsprop=False)
    result = rc.run_race(x, y, settings, p.neuron, lambd, p.w0, p.b0)
    assert run["names"] == ["gd", "momentum", "adam"] and run["seed"] == 7 and run["lambd"] == lambd
    assert run["neuron"] == ["sigmoid", "log"] and run["start"] == [p.w0, p.b0]
    assert run["lam_max"] == result.limits.lam_max and run["j_min"] == result.limits.minimum.cost
    assert run["options"]["opt_batch"] == rc.batch_options(569) and run["options"]["opt_rate"] == list(rc.RATE_FACTORS)
    assert run["tol"] == 1e-7 and run["chart"] == "opt_chart" and run["steps"] == "opt_steps"
    # the legend names the page fills in (ui/race_preview.js) are the server's, for every value of the sliders
    labels = run["labels"]

    def fill(name, values):
        at = {k: labels["text"][k][run["options"][k].index(v)] for k, v in values.items()}
        fields = {"alpha": at[labels["alpha"][name]], **{f: at[k] for f, k in labels["fields"].items()}}
        return re.sub(r"\{(\w+)\}", lambda m: fields[m.group(1)], labels["templates"][name])

    for rate, adaptive, beta1, beta2 in zip(rc.RATE_FACTORS, (rc.ADAPTIVE_RATES * 2)[:9], (rc.BETAS * 2)[:9],
                                            rc.BETA2S * 3, strict=True):
        s = rc.RaceSettings(opt_rate=rate, opt_adaptive=adaptive, opt_beta1=beta1, opt_rms_beta=beta2,
                            opt_beta2=beta2)
        values = {k: getattr(s, k) for k in labels["text"]}
        for name in rc.OPTIMISERS:
            alpha = rate / result.limits.lam_max if name in ("gd", "momentum") else adaptive
            assert fill(name, values) == rc.race_label(name, alpha, s)
    [tag] = [d["tag"] for d in bridge_payloads(app).values() if "opt_rate" in (d.get("tag") or {})]
    assert tag == {k: app.session_state[k] for k in [*run["options"], "opt_steps"]} and tag["opt_batch"] == 16


def test_own_data_too_large_for_the_page_are_raced_on_the_server_only(app):
    """Above PREVIEW_MAX_M examples the page does not run the race itself (the server does, as before)."""
    from ui.optimisers import PREVIEW_MAX_M

    _open(app)
    rows = [(0.01 * i, int(i % 7 < 3 + (i % 500) // 120)) for i in range(PREVIEW_MAX_M + 1)]
    _own_box(app)
    app.file_uploader(key="own_csv").set_value(("big.csv", _csv(rows), "text/csv")).run()
    assert not app.exception and not app.error and app.selectbox(key="dataset").value == "own"
    assert _race_charts(app) and not any("__raceRun" in h.proto.body for h in app.get("html"))


def test_each_run_s_ending_is_said_once_with_its_optimiser_named_once(app):
    """'**Gradient descent**: Gradient descent stopped after 60 steps': the name was said twice."""
    _open(app)
    lines = [m.value for m in app.markdown if "after 60 steps" in m.value or "converged after" in m.value]
    assert lines and all(line.count("Gradient descent") <= 1 and "**" not in line for line in lines)
    assert any(line.startswith("Adam ") for line in lines)


# ---------------------------------------------------------------- what the race says, and its link


def _infos(app):
    return " ".join(i.value for i in app.info).replace("\\", "")


def test_an_open_race_is_part_of_the_link_and_a_link_made_with_it_open_opens_it(app):
    """With the race open at its default settings the link was empty, so the receiver's page had the race closed."""
    from streamlit.testing.v1 import AppTest

    from tests.apptest.conftest import TIMEOUT
    from tests.conftest import APP

    _open(app)
    assert app.toggle(key="race_optimisers").value is True and len(_race_charts(app)) == 1
    link = app.query_params.to_dict() if hasattr(app.query_params, "to_dict") else dict(app.query_params)
    assert link.get("opt_race") in ("1", ["1"]), link
    receiver = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in link.items():
        receiver.query_params[k] = v
    receiver.switch_page(PAGE).run()
    assert not receiver.exception
    assert receiver.toggle(key="race_optimisers").value is True and len(_race_charts(receiver)) == 1
    # closed again: the link no longer asks for it
    app.toggle(key="race_optimisers").set_value(False).run()
    assert not _race_charts(app) and "opt_race" not in app.query_params


def test_a_link_whose_only_race_value_was_refused_still_opens_the_race(app):
    _open(app, race=False, opt_rate="0.3")
    assert "opt_rate=0.3 is not one of" in _infos(app)
    assert app.toggle(key="race_optimisers").value is True and len(_race_charts(app)) == 1


@pytest.mark.parametrize("query, used, m", [({"opt_batch": "100"}, 128, 200), ({"opt_batch": "3"}, 4, 200),
                                            ({"dataset": "iris", "opt_batch": "96"}, 64, 100)])
def test_a_snapped_batch_size_in_a_link_gets_a_note(app, query, used, m):
    """?opt_batch=100 ran with B = 128 without a word; other refused values get a one-line note."""
    _open(app, race=False, **query)
    assert (f"opt_batch={query['opt_batch']} is not offered for these {m} examples; using the nearest, {used}."
            in _infos(app))
    assert app.select_slider(key="opt_batch").value == used and f"Batches of B = {used}:" in _texts(app)


# What a link's race says, sentence by sentence: (query, sentences it must say, sentences it must not).
SAYS = {
    # the momentum tab: it is the heavy ball, not the course's average, and how the two relate
    "momentum is the heavy ball": ({}, [
        "This is the heavy ball, v := βv + dw. Andrew Ng's course writes v := βv + (1 − β)dw",
        "its step with a learning rate α is this one's with α × (1 − β)",
        "the limit reads α·λ_max < 2(1 + β)/(1 − β) = 38",
        "momentum's v_dw here is a sum, not Adam's v_dw, which is an average"], []),
    # ?neuron=linear&opt_rms_beta=0.999: the caption RMSProp shared with Adam said each step is about α = 0.1 long,
    # and then measured 3.16
    "RMSProp's first step": ({"neuron": "linear", "opt_rms_beta": "0.999"}, [
        "the first step is α/√(1 − β₂) = 31.6α = 3.16 long",
        "Measured here, the first steps move w by 3.16, 2.02, 0.819"], ["Dividing by √s makes each step about α"]),
    # ?neuron=linear&opt_rate=4.5&opt_decay=3: every step is an epoch, so α shrinks every step; no sentence said so,
    # and gradient descent, said to overshoot more each step, converged
    "decay with every example in each step": ({"neuron": "linear", "opt_rate": "4.5", "opt_decay": "3"}, [
        "With every example in each step, each step is an epoch, so α shrinks every step: the last step uses",
        "the decay brings α·λ_max below 2 from step 2 on",
        "Without the decay gradient descent and momentum blow up; with it, not.",
        "RMSProp and Adam end further from the bottom with it"], []),
    # ?neuron=linear&opt_batch=1: momentum ends 164 from the bottom (J 1.87 × 10⁴), and the page said 'near the
    # bottom its swings shrink' and 'the ball never quite settles'
    "a small batch blows momentum up": ({"neuron": "linear", "opt_batch": "1"}, [
        "at 0.5 that is inside the limit for the whole data set's gradient; in this race it is blowing up: after 60 "
        "steps it is 164 from the bottom",
        "the steepest batch this run used has λ_max = 6.86, against 1.79 for all 200 examples",
        "These limits are for the full gradient, and do not protect a small batch"], ["its swings shrink"]),
    # ?neuron=linear&opt_rate=3&opt_beta1=0.5: on momentum's limit exactly, said to overshoot by more each step
    "on momentum's limit": ({"neuron": "linear", "opt_rate": "3", "opt_beta1": "0.5"}, [
        "at 3 it is on the limit exactly, where each step across the valley overshoots by as much as the last: the "
        "swings keep their size"], ["overshoots by more than the last too"]),
    # ?dataset=separable&opt_rate=4.5: 'Momentum converged after 18 steps', far out where the slope vanished
    "no bottom to converge to": ({"dataset": "separable", "opt_rate": "4.5"}, [
        "Momentum stopped after 18 steps because the gradient's size fell below 10⁻⁷, not because it found a "
        "bottom"], ["Momentum converged"]),
}


@pytest.mark.parametrize("case", SAYS)
def test_the_race_says_what_its_runs_did(app, case):
    query, said, unsaid = SAYS[case]
    said = [notation(s).replace("\\", "") for s in said]    # λ_max typeset (core.markup.notation), as _texts reads it
    _open(app, **query)
    text = _texts(app)
    assert [s for s in said if s not in text] == [] and [s for s in unsaid if s in text] == []


def test_the_decay_sentence_is_measured_run_by_run(app):
    """?opt_batch=8&opt_decay=3: 'the steps shrink, and with them the wobble, so the ball settles closer to the
    bottom' was said of Adam too, which the decay stops short (0.634 from the bottom, 0.098 without)."""
    _open(app, opt_batch="8", opt_decay="3")
    text = _texts(app)
    assert "gradient descent and momentum end closer to the bottom with it" in text
    assert "RMSProp and Adam end further from the bottom with it" in text
    assert "a shrinking α stops them short" in text


def test_the_batch_noise_is_the_epoch_s_real_batches(app):
    """?dataset=iris&opt_batch=32: batches 32, 32, 32, 4; the page gave the noise of a batch of 32 (0.0434)."""
    from core.lessons import basin
    from core.lessons import race as rc

    _open(app, dataset="iris", opt_batch="32")
    x, y, _ = basin.load("iris", 0)
    result = rc.run_race(x, y, rc.RaceSettings(opt_batch=32), "logistic", 0.0, app.session_state["w0"],
                         app.session_state["b0"])
    assert result.noise_std > 0.08
    assert (f"a batch's gradient is typically {result.noise_std:.3g} away from the full gradient (the root mean "
            "square over an epoch's 4 batches: 3 of 32 and the last of only 4") in _texts(app)
    assert "σ² is the variance of the m single examples' gradients" in _texts(app)


def test_runs_thrown_out_are_not_said_to_bounce_around_the_bottom_and_no_bottom_is_spoken_of_without_one(app):
    _open(app, opt_rate="4.5")
    [momentum] = [m.value for m in app.markdown if m.value.startswith("Momentum with")]
    assert "further than where it started" in momentum and "bounces around the bottom" not in momentum
    app.selectbox(key="dataset").select("separable").run()
    said = [m.value for m in app.markdown if m.value.startswith(("Gradient descent needs", "Momentum with"))]
    assert len(said) == 2 and not any("the bottom" in s for s in said)


def test_a_run_inside_its_limit_that_ends_further_out_says_why(app):
    """Momentum at α·λ_max = 2.5, inside its limit 3.8, ends 18.8 from the bottom (it started 2.44 away): the page
    said only that near the bottom its swings shrink. It now says what threw it out."""
    _open(app, opt_rate="2.5", opt_gd="0", opt_rmsprop="0", opt_adam="0")
    said = next(m.value for m in app.markdown if m.value.startswith("Momentum with β"))
    assert "further than where it started" in said
    assert "its velocity grew" in said and "thrown out" in said, said


def test_the_race_minimum_and_rmsprop_steps_are_said_as_they_are(app):
    """b* is written with a real minus sign, as the page's other minimum is; with batches of one, RMSProp's second
    step can be longer than its first, so its steps are not promised to shrink one by one."""
    _open(app, opt_adaptive="1.0", opt_eps="0.01", opt_gd="0", opt_momentum="0", opt_batch="1", opt_seed="9999")
    minimum = next(m.value for m in app.markdown if m.value.startswith("The minimum of this J"))
    assert "b\\* = −0.0618" in minimum, minimum
    steps = next(c.value for c in app.caption if c.value.startswith("Remembers s"))
    moved = [float(v) for v in steps.split("first steps move w by ")[1].rstrip(".").split(", ")]
    assert moved[1] > moved[0] and "on the whole" in steps, steps
