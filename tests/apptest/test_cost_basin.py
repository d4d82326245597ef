"""Cost basin page through app.py: controls, presets, race, URL parameters, separable data."""

import base64
import json
import re

import numpy as np
import pytest

from core.lessons import basin
from ui import basin as ui_basin

PAGE = "pages/basin.py"


def _open(app, **query):
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page(PAGE).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _spec(app):
    return json.loads(app.get("plotly_chart")[0].proto.spec)


def _runs(app):
    """The runs' payload the page sends beside the figure (ui/basin_bridge.py), for the page's script."""
    body = next(h.proto.body for h in app.get("html") if "__basinRuns" in h.proto.body)
    return json.loads(re.search(r"window.__basinRuns = (\{.*?\});</script>", body).group(1))


def _surface(app):
    """The surface's payload the page sends beside the figure (ui/basin_bridge.py), for the page's script."""
    body = next(h.proto.body for h in app.get("html") if "__basinSurface" in h.proto.body)
    return json.loads(re.search(r"window.__basinSurface = (\{.*\});window.__basinBridge", body).group(1))


def shown(spec, surface, runs):
    """The basin figure as the browser shows it: `spec` with the surface's payload drawn in, as the page's script
    (ui/basin_bridge.js) draws it when the spec holds another surface of the same structure."""
    meta = spec["layout"]["meta"]["basin"]
    assert surface["id"] == runs["id"] == meta["id"] and runs["surface"] == surface["key"]
    if surface["key"] == meta["surface"]:
        return spec
    data = spec["data"]
    for role in ("surface3d", "contour"):
        data[meta[role]].update(x=surface["w"], y=surface["b"], z=surface["J"])
    mn = surface["minimum"] or [None, None, None]
    data[meta["min3d"]].update(x=mn[:1], y=mn[1:2], z=mn[2:], visible=surface["minimum"] is not None)
    data[meta["minmap"]].update(x=mn[:1], y=mn[1:2], visible=surface["minimum"] is not None)
    data[meta["pick"]].update(surface["pick"])
    for i, c in zip(meta["classes"], surface["classes"], strict=True):
        data[i].update(c)
    for path, value in surface["layout"].items():
        *parents, last = path.split(".")
        node = spec["layout"]
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return spec


def _shown(app):
    return shown(_spec(app), _surface(app), _runs(app))


def _texts(app):
    return " ".join(m.value for m in app.markdown) + " ".join(w.value for w in app.warning)


def test_default_page_shows_the_basin_and_the_smooth_run(app):
    _open(app)
    spec = _spec(app)
    assert [t["type"] for t in spec["data"][:2]] == ["surface", "contour"]
    assert spec["data"][0]["z"]["shape"] == "60, 60"
    assert _runs(app)["mode"] == "one" and len(spec["layout"]["meta"]["basin"]["trailmap"]) == basin.MAX_RACE
    assert app.select_slider(key="alpha").value == "smooth"
    assert "(smooth near the bottom): Converged" in _texts(app)
    assert not app.dataframe                                    # the steps section is closed: its table not built
    app.session_state["steps_open"] = True                     # the student opens it
    app.run()
    table = app.dataframe[0].value
    assert len(app.dataframe) == 1 and list(table.columns) == ["step", "w", "b", "dw", "db", "J"]
    assert table["step"].iloc[0] == 0 and (table["w"].iloc[0], table["b"].iloc[0]) == (2.0, -2.5)
    assert app.get("download_button")


def test_learning_rate_change_keeps_the_figure_identical(app):
    _open(app)
    before = app.get("plotly_chart")[0].proto.spec
    app.select_slider(key="alpha").set_value("too-large").run()
    assert app.get("plotly_chart")[0].proto.spec == before      # same figure: no remount, camera kept
    assert "(too large near the bottom)" in _texts(app) and "bounces without blowing up" in _texts(app)
    assert app.query_params["alpha"] in ("too-large", ["too-large"])


def test_a_rate_moved_while_an_older_link_is_still_in_the_browser_wins(app):
    """Keys pressed fast: the browser asks for a run with the slider's newest rate and the URL a run wrote before
    (the newer write still on its way back). The slider's rate is the one shown and written, and the page does not
    set the slider's value itself (which would move the thumb back in the browser)."""
    _open(app)
    app.select_slider(key="alpha").set_value("too-large").run()
    app.select_slider(key="alpha").set_value("oscillating").run()
    app.query_params["alpha"] = "too-large"          # the URL of the run before last
    app.select_slider(key="alpha").set_value("0.1").run()
    assert not app.exception
    assert app.select_slider(key="alpha").value == "0.1"
    assert app.query_params["alpha"] in ("0.1", ["0.1"])
    assert not app.select_slider(key="alpha").proto.set_value


def test_steps_change_keeps_the_figure_and_sends_new_runs(app):
    """The surface does not depend on the steps: the figure stays byte-identical (Streamlit redraws nothing) and
    only the runs' payload changes, with the figure's id, for the page's script to draw."""
    _open(app)
    before, runs = app.get("plotly_chart")[0].proto.spec, _runs(app)
    assert json.loads(before)["layout"]["meta"]["basin"]["drawn"] == runs["key"]   # a first visit: one draw
    app.slider(key="steps").set_value(45).run()
    assert app.get("plotly_chart")[0].proto.spec == before
    after = _runs(app)
    assert after["n"] == 46 and runs["n"] != 46
    assert after["id"] == runs["id"] == _spec(app)["layout"]["meta"]["basin"]["id"]


def _surface_j(surface):
    shape = tuple(int(n) for n in surface["J"]["shape"].split(","))
    return np.frombuffer(base64.b64decode(surface["J"]["bdata"]), np.float32).reshape(shape)


@pytest.mark.parametrize("change", ["lambda", "start outside the box", "data set", "neuron", "grid"])
def test_a_new_surface_keeps_the_figure_and_sends_the_surface(app, change):
    """λ, a start outside the plotted box, the data set, the neuron and the grid change the surface, not the
    figure's traces: the spec stays byte-identical (Streamlit neither re-sends nor remounts the chart) and the
    surface's payload carries the new surface, the one ui.basin.surface computed, for the page's script to draw."""
    _open(app)
    before, old = app.get("plotly_chart")[0].proto.spec, _surface(app)
    assert json.loads(before)["layout"]["meta"]["basin"]["surface"] == old["key"]   # a first visit: one draw
    if change == "lambda":
        app.select_slider(key="lambd").set_value(3.0).run()
    elif change == "start outside the box":
        app.number_input(key="w0").set_value(-8.0).run()
    elif change == "data set":
        app.selectbox(key="dataset").select("tumour").run()
    elif change == "neuron":
        app.radio(key="neuron").set_value("linear").run()
    else:
        app.select_slider(key="grid").set_value(30).run()
    assert not app.exception
    assert app.get("plotly_chart")[0].proto.spec == before
    new, runs = _surface(app), _runs(app)
    assert new["key"] != old["key"] and runs["surface"] == new["key"] and new["id"] == runs["id"] == old["id"]
    p = app.session_state
    J = ui_basin.surface(p["dataset"], p["seed"], p["neuron"], p["lambd"], p["grid"], tuple(new["box"]))[2]
    assert np.array_equal(_surface_j(new), np.asarray(J, np.float32))
    if change == "start outside the box":
        assert new["box"][0] < old["box"][0] and runs["start"][0] == -8.0
    if change == "grid":
        assert _surface_j(new).shape == (30, 30)


def test_a_return_to_the_page_draws_the_current_surface_at_once(app):
    """Back from another page the browser mounts the chart afresh: its spec then holds the current surface and
    runs (one draw), not the surface the session's figure held before."""
    _open(app)
    app.select_slider(key="lambd").set_value(3.0).run()
    assert _spec(app)["layout"]["meta"]["basin"]["surface"] != _surface(app)["key"]     # drawn by the script
    app.switch_page("pages/home.py").run()
    app.switch_page(PAGE).run()
    assert not app.exception and app.select_slider(key="lambd").value == 3.0
    meta = _spec(app)["layout"]["meta"]["basin"]
    assert meta["surface"] == _surface(app)["key"] and meta["drawn"] == _runs(app)["key"]


@pytest.mark.parametrize("preset, word", [("oscillating", "zigzag"), ("too-large", "bounces")])
def test_presets_explain_their_regime(app, preset, word):
    _open(app, alpha=preset)
    assert word in _texts(app)


def test_linear_neuron_reports_divergence_without_nan(app):
    _open(app, neuron="linear", alpha="too-large")
    text = _texts(app)
    assert "Diverged at step" in text and "nan" not in text.lower()


def test_a_ball_thrown_off_the_map_is_said_to_leave_it(app):
    """The linear neuron's too-large run leaves the map at its first step: the page says so (the ball vanished
    from the basin with no word why); the smooth run, which stays on it, says nothing of the map."""
    _open(app, neuron="linear", alpha="too-large")
    assert "The ball leaves the map at step 1 (w = " in _texts(app)
    _open(app, neuron="linear", alpha="smooth")
    assert "the map" not in _texts(app)


def test_controls_rerun_with_new_data(app):
    _open(app)
    app.selectbox(key="dataset").select("tumour").run()
    assert not app.exception
    spec = _shown(app)
    assert spec["layout"]["xaxis2"]["title"]["text"] == "mean radius (standardised)"
    assert app.query_params["dataset"] in ("tumour", ["tumour"])
    app.slider(key="steps").set_value(30).run()
    assert _runs(app)["n"] == 31     # every run has 30 steps + the start


def test_race_has_four_coloured_balls(app):
    _open(app)
    app.toggle(key="race_on").set_value(True).run()
    meta = _spec(app)["layout"]["meta"]["basin"]
    assert _runs(app)["mode"] == "race" and _runs(app)["tokens"] == ["0.1", "smooth", "oscillating", "too-large"]
    assert _runs(app)["shown"] == [0, 1, 2, 3] and len(meta["trailmap"]) == 4
    assert app.query_params["race"] in ("0.1,smooth,oscillating,too-large", ["0.1,smooth,oscillating,too-large"])
    assert sum("α = " in m.value for m in app.markdown) == 4
    # other rates in the race, as many: the same figure (the payload names the runs), new runs for it
    before = app.get("plotly_chart")[0].proto.spec
    app.multiselect(key="race").set_value(["0.01", "smooth", "oscillating", "10"]).run()
    assert app.get("plotly_chart")[0].proto.spec == before
    assert _runs(app)["tokens"] == ["0.01", "smooth", "oscillating", "10"] and _runs(app)["id"] == meta["id"]
    app.multiselect(key="race").set_value(["smooth", "oscillating"]).run()    # two runs: two slots shown
    assert _runs(app)["shown"] == [0, 1] and _runs(app)["tokens"] == ["smooth", "oscillating"]


def test_the_race_toggle_and_the_raced_rates_keep_the_figure_identical(app):
    """The race on or off, and more, fewer or other raced rates, are drawn into the same figure: the spec stays
    byte-identical (Streamlit neither re-sends nor remounts the chart, the camera stays) and only the runs'
    payload changes (its mode and the runs it shows), with the figure's id, for the page's script to draw."""
    _open(app)
    before, one = app.get("plotly_chart")[0].proto.spec, _runs(app)
    meta = json.loads(before)["layout"]["meta"]["basin"]
    assert one["mode"] == "one" and len(one["shown"]) == 1 and meta["drawn"] == one["key"]
    app.toggle(key="race_on").set_value(True).run()
    assert not app.exception and app.get("plotly_chart")[0].proto.spec == before
    raced = _runs(app)
    assert raced["mode"] == "race" and raced["shown"] == [0, 1, 2, 3] and raced["id"] == one["id"]
    assert raced["labels"][1].startswith("α = ") and raced["key"] != one["key"]
    for rates in (["smooth", "too-large"], ["0.01"], ["0.01", "smooth", "oscillating", "10"], ["3", "0.3", "1"]):
        app.multiselect(key="race").set_value(rates).run()
        assert not app.exception and app.get("plotly_chart")[0].proto.spec == before
        runs = _runs(app)
        assert runs["mode"] == "race" and runs["tokens"] == rates and runs["shown"] == list(range(len(rates)))
        assert runs["id"] == one["id"]
    app.toggle(key="race_on").set_value(False).run()
    assert not app.exception and app.get("plotly_chart")[0].proto.spec == before
    back = _runs(app)
    assert back["mode"] == "one" and back == one                # the single run's payload, as before the race
    app.select_slider(key="alpha").set_value("oscillating").run()
    assert app.get("plotly_chart")[0].proto.spec == before


def test_valid_url_reproduces_the_settings(app):
    _open(app, dataset="iris", seed="3", alpha="0.3", w0="1.5", b0="-2", steps="40", race="smooth,10")
    assert app.selectbox(key="dataset").value == "iris" and app.number_input(key="w0").value == 1.5
    assert app.toggle(key="race_on").value is True and app.multiselect(key="race").value == ["smooth", "10"]
    assert _runs(app)["n"] == 41
    assert not app.info


def test_invalid_url_values_fall_back_with_a_notice(app):
    _open(app, dataset="mnist", alpha="999", steps="abc", lambd="0.5")
    sources = " ".join(i.value for i in app.info)
    notes = re.sub(r"\\(.)", r"\1", sources)  # what the student reads: the link's text is escaped (markdown)
    assert "lambd=0\\.5" in sources  # ... so it can never render as markup
    assert "dataset=mnist" in notes and "alpha=999" in notes and "steps=abc" in notes and "lambd=0.5" in notes
    assert app.selectbox(key="dataset").value == "overlap" and app.select_slider(key="lambd").value == 0.3


def test_separable_without_lambda_explains_no_minimum_then_lambda_gives_a_bottom(app):
    _open(app, dataset="separable")
    assert "no lowest point" in _texts(app)
    assert "start point" in " ".join(c.value for c in app.caption)
    star = _shown(app)["layout"]["meta"]["basin"]["minmap"]
    assert _shown(app)["data"][star]["visible"] is False and _surface(app)["minimum"] is None   # no star
    app.select_slider(key="lambd").set_value(1.0).run()
    assert "no lowest point" not in _texts(app)
    minimum = _shown(app)["data"][star]
    assert minimum["name"] == "minimum" and minimum["visible"] is True and minimum["x"][0] is not None


def test_the_squashed_update_mistake_is_shown_for_the_logistic_neuron(app):
    _open(app)
    expander = [e for e in app.expander if "w := w − σ(dw)" in e.label]
    assert expander and "never stops" in expander[0].markdown[0].value

    def mistake_charts():
        names = [[t.get("name", "") for t in json.loads(c.proto.spec)["data"]] for c in app.get("plotly_chart")]
        return [n for n in names if any("(the mistake)" in name for name in n)]

    assert mistake_charts() == []                                  # closed: its chart is not built
    app.session_state["mistake_open"] = True                       # the student opens the section
    app.run()
    assert len(mistake_charts()) == 1
    app.radio(key="neuron").set_value("linear").run()           # a linear neuron has no σ to misplace
    assert not [e for e in app.expander if "σ(dw)" in e.label]


def test_each_data_set_starts_across_its_valley_and_a_new_data_set_moves_the_start(app):
    _open(app, dataset="iris")
    assert (app.number_input(key="w0").value, app.number_input(key="b0").value) == (5.5, -2.0)
    assert "w0" not in app.query_params                          # the data's own start stays out of the link
    app.selectbox(key="dataset").select("tumour").run()
    assert (app.number_input(key="w0").value, app.number_input(key="b0").value) == (3.5, -3.0)


def test_separable_data_far_start_says_the_ball_was_flung_not_converged(app):
    _open(app, dataset="separable", w0="-3", b0="3", alpha="too-large")
    text = _texts(app)
    assert "One step flung the ball to w = 43.7" in text and "Converged after 1 steps" not in text
    assert "cannot happen on these data" in text


@pytest.mark.parametrize("preset, words", [("smooth", "J fell at every step"), ("oscillating", "reversals"),
                                           ("too-large", "Still bouncing at step 60")])
def test_every_preset_says_what_its_run_did_on_iris(app, preset, words):
    _open(app, dataset="iris", alpha=preset)
    assert words in _texts(app) and not app.warning


def _predict(app, alpha, choice):
    """Ask the page's predict box about `alpha`, answer `choice`, check; returns the verdict's first line."""
    app.select_slider(key="predict_basin_alpha").set_value(alpha).run()
    app.radio(key="predict_basin_choice").set_value(choice).run()
    app.button(key="predict_basin_check").click().run()
    assert not app.exception
    return (app.success or app.error)[0].value


def test_a_ball_moving_away_from_a_bottom_it_cannot_hold_is_not_settled_and_keeps_bouncing_is_right(app):
    """?dataset=imbalanced&lambd=1&w0=0&b0=0, α = 30: the page said "Settled at the bottom within 60 steps" and
    scored "It flies off, or keeps bouncing" wrong, while saying the ball cannot settle."""
    _open(app, dataset="imbalanced", lambd="1", w0="0", b0="0", alpha="0.1")
    assert _predict(app, "30", "wild").startswith("**Right.**")
    text = _texts(app)
    assert "Settled at the bottom" not in text and "has moved away since" in text


def test_one_overshoot_then_settled_is_not_scored_a_zigzag(app):
    """?w0=0&b0=0, α = oscillating: one reversal, then settled. "It rolls smoothly downhill" was scored wrong ("It
    zigzags across the valley, then settles"), against the page's own warning that no rate zigzags visibly here."""
    _open(app, w0="0", b0="0")
    assert "4 or more reversals" in _texts(app)
    assert _predict(app, "oscillating", "smooth").startswith("**Right.**")
    assert "turned back across the valley only once" in _texts(app)


def test_the_warnings_give_the_reason_the_candidates_show(app):
    """Iris, 10 steps: every oscillating candidate is still bouncing, not 'coming in along the gentle direction'."""
    _open(app, dataset="iris", steps="10")
    warnings = " ".join(w.value for w in app.warning)
    assert "gentle direction" not in warnings and "still bouncing at step 10" in warnings


def test_at_the_most_steps_no_sentence_asks_for_more_steps(app):
    _open(app, steps="150", alpha="0.01")
    text = _texts(app)
    assert "Show more steps" not in text and "150 steps are the most this page shows: a larger α" in text


def test_a_ball_rolling_in_on_data_with_no_bottom_is_said_to_roll_down(app):
    _open(app, dataset="separable", w0="-10", b0="-10", alpha="0.03")
    assert "is still rolling down" in _texts(app) and "still rolling outwards" not in _texts(app)


def test_the_map_frames_the_shown_run_not_a_run_thrown_far_out(app):
    """?dataset=separable&lambd=0.1: the hidden oscillating run (α = 451, thrown to w = 48.8) set the map to
    w −10…60, b −40…30, and 92 % of the click grid lay outside the start's range."""
    _open(app, dataset="separable", lambd="0.1")
    surface = _surface(app)
    w_lo, w_hi, b_lo, b_hi = surface["box"]
    assert w_hi - w_lo <= 12 and b_hi - b_lo <= 12
    pick = {k: np.frombuffer(base64.b64decode(surface["pick"][k]["bdata"]), np.float32) for k in ("x", "y")}
    assert all(np.abs(v).max() <= 10 for v in pick.values())
    app.select_slider(key="alpha").set_value("oscillating").run()
    assert "The ball is off the map at " in _texts(app)            # the thrown run leaves it, and the page says so


def test_the_cost_panels_caption_names_it_as_its_title_does(app):
    """"The cost panel (bottom right)" is wrong on a phone, where the panels are stacked: the caption names the
    panel by its title, which the figure shows at every width."""
    _open(app)
    caption = next(c.value for c in app.caption if c.value.startswith("The cost panel"))
    titles = [a["text"] for a in _spec(app)["layout"]["annotations"]]
    assert "bottom right" not in caption
    assert any(f"“{t.removeprefix('<b>').removesuffix('</b>')}”" in caption for t in titles)


def test_a_raced_named_rate_reads_the_same_in_its_sentence_and_in_the_legend(app):
    """The legend said "α = 16.1 (oscillating)" and the sentence under the basin "α = 16.07": one run, two
    numbers. The sentences now write a named rate as the legend and the slider do (basin.preset_rate_text)."""
    _open(app, race="0.1,smooth,oscillating,too-large")
    said = [m.value for m in app.markdown if m.value.startswith("**α = ")]
    legend = [t["name"] for t in _spec(app)["data"] if str(t.get("name", "")).startswith("α = ")]
    assert len(said) == 4
    for line in said:
        number = line.removeprefix("**α = ").split("**")[0]
        assert any(name.startswith(f"α = {number} ") or name == f"α = {number}" for name in legend), (line, legend)


def test_the_minimums_sentence_writes_real_minus_signs(app):
    """"b* = -0.0618" in the minimum's sentence, where every other number on the page has a real minus sign."""
    _open(app)
    said = next(m.value for m in app.markdown if m.value.startswith("On these data the minimum of J is at"))
    assert "b\\* = −0.0618" in said and "-" not in said.replace("Newton", "")


def test_the_run_is_named_by_one_alpha_everywhere(app):
    """The run's sentence, the steps table's expander and the optimisers' start write the same numbers (the table
    said α = 5.573 under a sentence saying α = 5.57; the start read (3.5, -3) with a hyphen for a minus)."""
    _open(app, dataset="tumour", opt_race="1")
    said = re.search(r"\*\*α = ([^*]+)\*\*", next(m.value for m in app.markdown if m.value.startswith("**α = ")))
    table = next(e.label for e in app.expander if e.label.startswith("Every step of the run at α = "))
    assert table.startswith(f"Every step of the run at α = {said.group(1)}:"), (said.group(1), table)
    start = next(c.value for c in app.caption if "start (w₀, b₀) = (" in c.value)
    assert "-" not in start.split("start (w₀, b₀) = (")[1] and "−3" in start, start
