"""AppTest for the three lessons pages: every control, the numbers shown, URL settings, bad input."""

import json

import pytest

GRAPH, VEC, ACT = "pages/graph.py", "pages/vectorisation.py", "pages/activations.py"


def spec(at, key):
    return next(c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id).proto.spec


def node_texts(at, key):
    fig = json.loads(spec(at, key))
    return fig["data"][0]["text"]


def info(at):
    return at.info[0].value


def open_page(app, page, **query):
    """Run app.py once (its st.navigation leaves Streamlit's legacy pages/ mode, which ui.common.ensure_router
    would otherwise leave with a rerun that lands on Home), then open the page with these URL settings."""
    app.run()
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


# --- Computation graph --------------------------------------------------------------------------------------
def test_graph_page_defaults(app):
    at = open_page(app, GRAPH)
    assert at.title[0].value == "Computation graph"
    assert "step 1 of 10" in info(at) and "a = 5, b = 3, c = 2" in info(at)
    at.slider(key="j_step").set_value(10).run()          # the end of the backward pass: every derivative shown
    table = at.dataframe[0].value
    assert list(table["node"]) == ["a", "b", "c", "u", "v"]
    assert list(table["analytic (backward pass)"]) == ["3", "6", "9", "3", "3"]
    assert list(table["J(θ + ε)"]) == ["33.003", "33.006", "33.009", "33.003", "33.003"]
    assert any("moves J from 33 to 33.006" in m.value for m in at.markdown)


def test_next_previous_and_slider_step_through_both_passes(app):
    at = open_page(app, GRAPH)
    for _ in range(3):
        at.button(key="j_step_next").click().run()
    assert "step 4 of 10: compute J" in info(at) and "J = 33" in info(at)
    assert node_texts(at, "j_step_fig")[-1] == "<b>J</b><br>33"
    at.button(key="j_step_prev").click().run()
    assert "step 3 of 10: compute v" in info(at)
    at.slider(key="j_step").set_value(10).run()
    assert "Backward pass, step 10 of 10: dc = dJ/dc" in info(at) and "= 9" in info(at)
    at.button(key="j_step_next").click().run()                       # already at the end: stays there
    assert at.slider(key="j_step").value == 10


def test_editing_a_b_c_and_the_nudge(app):
    at = open_page(app, GRAPH)
    at.number_input(key="a").set_value(1.0).run()
    at.number_input(key="b").set_value(-2.0).run()
    at.number_input(key="c").set_value(4.0).run()
    at.number_input(key="eps").set_value(0.01).run()
    at.slider(key="j_step").set_value(10).run()
    table = at.dataframe[0].value
    assert list(table["analytic (backward pass)"]) == ["3", "12", "-6", "3", "3"]   # db = 3c, dc = 3b
    assert list(table["J(θ + ε)"])[1] == "-20.88"                              # J = 3(1 − 8) = −21, +12 × 0.01
    assert at.query_params["a"] == "1" and at.query_params["eps"] == "0.01"


def test_logistic_controls(app):
    at = open_page(app, GRAPH)
    for key, value in [("x1", 2.0), ("x2", -1.0), ("w1", 0.5), ("w2", 0.25), ("bias", -0.5)]:
        at.number_input(key=key).set_value(value).run()
    at.radio(key="y").set_value(0).run()
    assert not at.exception
    at.slider(key="l_step").set_value(12).run()
    table = at.dataframe[1].value
    # z = 1 − 0.25 − 0.5 = 0.25; a = σ(0.25); y = 0: dz = a, dw1 = 2a, dw2 = −a, db = a.
    a = 1 / (1 + 2.718281828459045 ** -0.25)
    analytic = dict(zip(table["node"], table["analytic (backward pass)"].astype(float), strict=True))
    assert analytic["z"] == pytest.approx(a, rel=1e-5) and analytic["w1"] == pytest.approx(2 * a, rel=1e-5)
    assert analytic["w2"] == pytest.approx(-a, rel=1e-5) and analytic["b"] == pytest.approx(a, rel=1e-5)
    centred = dict(zip(table["node"], table["centred (θ ± ε)"].astype(float), strict=True))
    for name in ("x1", "x2", "w1", "w2", "b", "z"):
        assert centred[name] == pytest.approx(analytic[name], rel=1e-5)
    at.slider(key="l_step").set_value(7).run()                       # 4 forward steps, then L, a, z
    assert "step 7 of 12: dz = dL/dz" in at.info[1].value and "This is a − y" in at.info[1].value


def test_rounding_in_a_small_derivative_gets_its_sentence(app):
    """a = b = −100, c = 0.001, ε = 1e−6: db = 0.003 read 0.0029999967 (centred), with no sentence why."""
    at = open_page(app, GRAPH, a="-100", b="-100", c="0.001", eps="0.000001", j_step="10")
    b = at.dataframe[0].value.set_index("node").loc["b"]
    assert b["analytic (backward pass)"] == "0.003" and b["centred (θ ± ε)"] == "0.0029999967"
    assert any(c.value.startswith("Here rounding shows too: J is kept") for c in at.caption)


def test_graph_settings_from_the_url_and_bad_ones(app):
    at = open_page(app, GRAPH, a="1", b="2", c="oops")
    assert at.number_input(key="a").value == 1.0 and at.number_input(key="c").value == 2.0
    assert any("c=oops is not a number" in c.value for c in at.caption)
    at.slider(key="j_step").set_value(10).run()
    assert list(at.dataframe[0].value["analytic (backward pass)"])[:3] == ["3", "6", "6"]


def test_the_number_boxes_show_the_values_the_graph_computes_with(app):
    """c = 0.001, x1 = 0.125, w1 = −0.001 were shown as 0.00, 0.13 and −0.00 (Streamlit's "%0.2f")."""
    at = open_page(app, GRAPH, c="0.001", x1="0.125", w1="-0.001", bias="-9.999", a="-99.99")
    for key in ("a", "b", "c", "x1", "x2", "w1", "w2", "bias", "eps"):
        box = at.number_input(key=key)
        assert float(box.proto.format % box.value) == box.value, (key, box.proto.format, box.value)
    assert "c = 0.001" in info(at)


def test_the_worked_nudge_writes_minus_signs_as_the_page_does(app):
    """"moves J from -900" used a hyphen where the page writes "−" elsewhere."""
    at = open_page(app, GRAPH, a="-100", b="2", c="-100", j_step="10")
    said = [m.value for m in at.markdown if "moves J from" in m.value]
    assert said == ["For example, b → b + 0.001 moves J from −900 to −900.3: a change of −0.3 ≈ db × ε = −300 × 0.001."]


def test_the_nudge_help_says_a_smaller_eps_can_be_typed(app):
    """At ε = 0.001 the − button is greyed (0 is below the smallest ε), and nothing said that 1e−06 could be typed."""
    at = open_page(app, GRAPH)
    box = at.number_input(key="eps")
    assert "type a smaller ε, down to 1e−06" in box.help and box.min == 1e-6
    box.set_value(1e-6).run()
    assert at.number_input(key="eps").value == 1e-6 and not at.exception


def test_the_nudge_tables_hide_what_the_graphs_hide(app):
    """At step 1 the graph showed "?" for every derivative while the table under it already listed them all."""
    at = open_page(app, GRAPH)
    numbers = ["analytic (backward pass)", "J(θ + ε)", "(J(θ+ε) − J(θ))/ε", "difference", "centred (θ ± ε)"]
    table = at.dataframe[0].value
    assert all(set(table[c]) == {"?"} for c in numbers)
    assert not any("moves J from" in m.value for m in at.markdown)
    assert any("Step to 10 to see every row" in c.value for c in at.caption)
    at.slider(key="j_step").set_value(7).run()                     # dJ, dv, then da: as on the graph
    assert "step 7 of 10: da = dJ/da" in info(at)
    table = at.dataframe[0].value
    assert dict(zip(table["node"], table["analytic (backward pass)"], strict=True)) == {
        "a": "3", "b": "?", "c": "?", "u": "?", "v": "3"}
    assert set(table[table["node"] == "b"].iloc[0][numbers]) == {"?"}
    assert dict(zip(table["node"], table["J(θ + ε)"], strict=True))["a"] == "33.003"
    at.slider(key="j_step").set_value(10).run()
    assert "?" not in set(at.dataframe[0].value[numbers].to_numpy().ravel())
    assert any("moves J from 33 to 33.006" in m.value for m in at.markdown)
    logistic = at.dataframe[1].value                                   # its own steps: still at step 1
    assert set(logistic["analytic (backward pass)"]) == {"?"}
    at.slider(key="l_step").set_value(12).run()
    assert "?" not in set(at.dataframe[1].value["analytic (backward pass)"])


def test_a_saturated_example_says_why_its_nudges_have_no_value(app):
    """x1 = 4, w1 = 4 (z = 15.9): the a row read nan with no word why, and "This is a − y = 1 − 1" stood beside
    dz = −1.244e−07. At a = b = c = 100 and ε = 1e−6, J(θ + ε) read 30300 on every row."""
    at = open_page(app, GRAPH, x1="4", w1="4", a="100", b="100", c="100", eps="0.000001")
    at.slider(key="l_step").set_value(12).run()
    at.slider(key="j_step").set_value(10).run()
    captions = [c.value for c in at.caption]
    # a = 0.99999987563: a + ε = 1.00000088, shown with the digits that put it past 1
    assert any(c.startswith("nan: a + ε = 1.00000088 is outside (0, 1)") for c in captions), captions
    assert not any(c.startswith("nan:") and "a − ε" in c for c in captions)        # that side is defined
    logistic = at.dataframe[1].value
    row = logistic[logistic["node"] == "a"].iloc[0]
    assert row["L(θ + ε)"] == "nan" and row["centred (θ ± ε)"] == "nan"
    table = at.dataframe[0].value
    assert dict(zip(table["node"], table["J(θ + ε)"], strict=True))["b"] == "30300.0003"
    assert any("moves J from 30300 to 30300.0003" in m.value for m in at.markdown)
    assert any(c.startswith("Here rounding shows too: J is kept to about 16 significant digits") for c in captions)
    at.slider(key="l_step").set_value(7).run()                          # dz = a − y
    assert any("= −1.244e−07. This is a − y = 0.99999987563 − 1:" in i.value for i in at.info)


# --- Vectorisation and broadcasting -------------------------------------------------------------------------
def test_vectorisation_page_measures_on_request(app):
    at = open_page(app, VEC)
    assert at.title[0].value == "Vectorisation and broadcasting"
    assert not at.metric
    at.slider(key="n").set_value(20_000).run()
    at.slider(key="cap").set_value(2.0).run()
    at.button(key="measure").click().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["for-loop, n = 20,000", "np.dot, n = 20,000"] and labels[2] == "ratio"
    assert at.metric[2].value.endswith("×")
    assert any(c.value.startswith("For n = 20,000 the loop gives c = ") for c in at.caption)   # path step 8
    assert any("BLAS" in c.value for c in at.caption) and any("300×" in c.value for c in at.caption)
    assert at.dataframe[0].value["np.dot on"].iloc[0] == "1 BLAS thread"
    # the headline and the table are two runs, and the page says which number comes from which (the time now
    # carries its unit, µs or ms, core.lessons.vectorisation.duration: it was the number before " ms")
    dot_time = at.metric[1].value
    two_runs = [c.value for c in at.caption if c.value.startswith("Two runs")]
    assert len(two_runs) == 1 and dot_time in two_runs[0] and at.metric[2].value in two_runs[0]
    assert len(at.get("plotly_chart")) >= 2
    assert at.query_params["n"] == "20000" and at.query_params["cap"] == "2"


def test_the_times_shown_give_the_ratio_shown(app, monkeypatch):
    """np.dot took 1.47 µs and the loop 0.262 ms (178×), shown as "0.001 ms" and "0.26 ms": dividing gave 260×.
    The page's timings are replaced by these numbers (core's functions, as the page calls them)."""
    import core.lessons.vectorisation as lesson
    timing = lesson.Timing(10_000, 3.0, [lesson.TimingRow(10_000, 0.000262, 1.47e-6, "measured", 1.0, 1.0)], 0.01,
                           "Measured every size up to n = 10,000 in 0.01 s.")
    monkeypatch.setattr(lesson, "time_dot_products", lambda *args, **kwargs: timing)
    monkeypatch.setattr(lesson, "time_dot_threads", lambda a, b: [lesson.ThreadTiming(1, 1.47e-6, 1.6e-6, 9e-6, 25)])
    at = open_page(app, VEC)
    at.button(key="measure").click().run()

    def seconds(text):
        value, unit = text.split()
        return float(value.replace(",", "")) * {"µs": 1e-6, "ms": 1e-3}[unit]
    loop, dot, ratio = (m.value for m in at.metric)
    assert seconds(loop) / seconds(dot) == pytest.approx(float(ratio.rstrip("×")), rel=0.011)
    row = at.dataframe[0].value.iloc[0]
    assert seconds(loop) / seconds(row["best"]) == pytest.approx(
        float(row["loop ÷ best … ÷ worst"].split("×")[0]), rel=0.011)
    assert any(c.value == lesson.SPIKE_NOTE for c in at.caption)      # a spike in the chart: the machine was busy


def test_z_timing(app):
    at = open_page(app, VEC)
    at.slider(key="nx").set_value(10).run()
    at.slider(key="m").set_value(500).run()
    at.button(key="measure_z").click().run()
    assert not at.exception
    assert any("n_x = 10, m = 500" in c.value for c in at.caption)
    title = json.loads(spec(at, "zbars"))["layout"]["title"]["text"]        # was "n = 500: ..."
    assert title.startswith("m = 500 examples, n_x = 10: the loop takes") and "n = " not in title


def test_a_z_loop_stopped_by_the_cap_is_marked_estimated_on_its_bar(app):
    """A loop over 20,000 examples with 1,000 features, cap 0.5 s: the cap stops it and its time for all m is
    estimated from the examples it did. The bar read "… s" under "the loop takes", as if measured."""
    at = open_page(app, VEC, cap="0.5")
    at.slider(key="nx").set_value(1000).run()
    at.slider(key="m").set_value(20_000).run()
    at.button(key="measure_z").click().run()
    assert not at.exception
    fig = json.loads(spec(at, "zbars"))
    assert fig["data"][0]["y"][0] == "Python for-loop (estimated)" and fig["data"][0]["text"][0].startswith("≈ ")
    assert "the loop would take about" in fig["layout"]["title"]["text"].replace("<br>", " ")
    looped = at.session_state["ztiming"].examples_looped
    assert any(f"over the {looped:,} examples the loop did before the cap stopped it" in c.value for c in at.caption)


def test_shape_explorer_controls(app):
    at = open_page(app, VEC)
    assert "has shape (3, 4)" in at.success[0].value                  # defaults: (3, 1) + (4,)
    for key in ("stretch", "stretch_phone"):                            # A was labelled "A (3, 4)"
        labels = {a["text"] for a in json.loads(spec(at, key))["layout"]["annotations"]}
        assert {"<b>A</b> (3, 1) → (3, 4)", "<b>B</b> (4,) → (3, 4)"} <= labels
    at.text_input(key="shape_a").set_value("5").run()
    at.text_input(key="shape_b").set_value("5, 1").run()
    at.selectbox(key="op").set_value("*").run()
    assert "A * B has shape (5, 5)" in at.success[0].value
    at.selectbox(key="op").set_value("np.dot").run()
    assert "np.dot(A, B) has shape (1,)" in at.success[0].value     # (5,) · (5, 1): a's axis meets b's rows
    at.text_input(key="shape_b").set_value("4, 1").run()
    assert at.error[0].value == ("numpy refuses np.dot(A, B): ValueError: "
                                 "shapes (5,) and (4,1) not aligned: 5 (dim 0) != 4 (dim 0)")
    at.selectbox(key="op").set_value("@").run()
    assert "matmul: Input operand 1 has a mismatch" in at.error[0].value
    at.text_input(key="shape_b").set_value("9, 9").run()
    assert "keep each size between 1 and 6" in at.error[0].value
    assert not at.exception


def test_a_four_axis_np_dot_shows_its_shape_and_steps_without_a_picture(app):
    """(2, 3, 4)·(2, 4, 5) has 4 axes, (2, 3, 2, 5): the picture raised "too many values to unpack"."""
    at = open_page(app, VEC)
    at.text_input(key="shape_a").set_value("2,3,4").run()
    at.selectbox(key="op").set_value("np.dot").run()
    at.text_input(key="shape_b").set_value("2,4,5").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "np.dot(A, B) has shape (2, 3, 2, 5)" in at.success[0].value
    assert any("the picture draws at most 3" in c.value for c in at.caption)
    assert not [c for c in at.get("plotly_chart") if "stretch" in c.proto.id]
    assert any("pairs every stack of A with every stack of B" in m.value for m in at.markdown)


def test_rank1_table(app):
    at = open_page(app, VEC)
    table = at.dataframe[0].value
    assert list(table["shape"])[:4] == ["(5,)", "(5,)", "()", "(5, 5)"]


def test_vectorisation_bad_url_values(app):
    at = open_page(app, VEC, n="5", op="/")
    assert at.slider(key="n").value == 1_000_000 and at.selectbox(key="op").value == "+"
    assert len([c for c in at.caption if "Link setting ignored" in c.value]) == 2


# --- Activations -------------------------------------------------------------------------------------------
def test_activations_page_and_its_slider(app):
    at = open_page(app, ACT)
    assert at.title[0].value == "Activations"
    values = [m.value for m in at.metric]
    assert values[:2] == ["0.7311", "0.1966"]                          # σ(1), σ'(1)
    at.slider(key="z").set_value(-2.0).run()
    values = [m.value for m in at.metric]
    assert values[4:8] == ["0.0000", "0.0000", "-2.0000", "1.0000"]   # ReLU(−2), ReLU', linear, linear'
    assert values[8:10] == ["-0.0200", "0.0100"]                       # leaky ReLU(−2) = 0.01·(−2), slope 0.01
    assert at.query_params["z"] == "-2"
    assert any("flat for |z| > 4.36" in c.value for c in at.caption)


def test_tanh_at_the_ends_is_not_shown_as_1_with_a_dead_slope(app):
    """z = 6: tanh read 1.0000 with slope 0.0000, as a dead ReLU's; tanh(6) = 0.999988, tanh′(6) = 0.000025."""
    at = open_page(app, ACT, z="6")
    values = [m.value for m in at.metric]
    assert values[2:4] == ["0.999988", "0.000025"] and values[4:6] == ["6.0000", "1.0000"]
    at.slider(key="z").set_value(-6.0).run()
    assert [m.value for m in at.metric][2:6] == ["-0.999988", "0.000025", "0.0000", "0.0000"]   # tanh, then ReLU


def test_a_value_and_a_slope_that_differ_do_not_look_alike(app):
    """z = −6: σ = 0.002473 and σ′ = 0.002467 both read "0.0025"."""
    at = open_page(app, ACT, z="-6")
    values = [m.value for m in at.metric]
    assert values[:2] == ["0.002473", "0.002467"]
    assert values[4:6] == ["0.0000", "0.0000"]                          # ReLU: equal numbers stay alike


def test_activations_url(app):
    at = open_page(app, ACT, z="3.5")
    assert at.slider(key="z").value == 3.5
    at2 = open_page(app, ACT, z="99")
    assert any("z=99 is outside" in c.value for c in at2.caption)


def test_graph_step_slider_and_text_count_the_same_steps(app):
    """The slider once said "1 to 4" (the forward steps) while the text said "step 1 of 10"."""
    at = open_page(app, GRAPH)
    slider = at.slider(key="j_step")
    assert slider.max == 10 and slider.label.startswith("Step 1 to 10 (steps 1 to 4: forward pass; 5 to 10")
    at.slider(key="j_step").set_value(5).run()
    assert any("Backward pass, step 5 of 10" in i.value for i in at.info)
    assert at.slider(key="l_step").label.startswith(f"Step 1 to {int(at.slider(key='l_step').max)} (")


def test_a_graph_link_opens_the_step_it_was_made_at(app):
    """The link to this experiment carries the steps shown: a teacher's link to "step 7 of the backward pass"
    opens there (it reopened at step 1)."""
    at = open_page(app, GRAPH)
    at.button(key="j_step_next").click().run()
    at.slider(key="l_step").set_value(9).run()
    assert at.query_params["j_step"] == "2" and at.query_params["l_step"] == "9"
    fresh = open_page(app, GRAPH, j_step="7", l_step="12")
    assert not fresh.exception
    assert fresh.slider(key="j_step").value == 7 and fresh.slider(key="l_step").value == 12
    assert any(i.value.startswith("**Backward pass, step 7 of 10") for i in fresh.info)
    bad = open_page(app, GRAPH, j_step="99")
    assert bad.slider(key="j_step").value == 1 and not bad.exception
