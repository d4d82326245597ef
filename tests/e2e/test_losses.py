"""The squared-error vs log-loss page in a real browser: both surfaces render, the trap's balls end apart,
a click on a contour map picks the start point, and screenshots of each state for a person to look at."""

import re
import time

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import SCREENSHOTS, assert_no_console_errors, hold_and_drag, wait_for_app, wait_until

CHART = ".js-plotly-plot"
PLOTS = 4  # charts drawn on opening: map, cost curves, likelihood, data (the 3D tab is built when opened)


def wait_for_plots(page, count, timeout=90_000):
    """Wait until `count` plotly charts have drawn (polling: a busy software-WebGL page starves rAF)."""
    page.wait_for_function(f"document.querySelectorAll('{CHART} .main-svg').length >= {count}",
                           polling=300, timeout=timeout)
    page.wait_for_timeout(800)


def shoot(page, name, element=None):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = element if element is not None else page
    target.screenshot(path=str(SCREENSHOTS / f"losses-{name}.png"))


def plot_data(page, index):
    """Traces of the index-th chart (_fullData: arrays decoded from base64): name, type, x, y, z."""
    return page.evaluate(f"""() => {{
        const el = document.querySelectorAll('{CHART}')[{index}];
        return el._fullData.map(t => ({{name: t.name, type: t.type,
            x: t.x ? Array.from(t.x) : null, y: t.y ? Array.from(t.y) : null,
            z: t.z && t.type === 'scatter3d' ? Array.from(t.z) : null}}));
    }}""")


def painted(path):
    """Orange pixels in the left half, sky-blue ones in the right half of a screenshot, and a half's area."""
    image = Image.open(path).convert("RGB")
    half = image.width // 2
    left, right = image.crop((0, 0, half, image.height)), image.crop((half, 0, image.width, image.height))
    orange = sum(1 for r, g, b in left.get_flattened_data() if r > g > b and r > b + 60)   # lit or shaded
    sky = sum(1 for r, g, b in right.get_flattened_data() if b > 150 and b > r + 40)
    return orange, sky, half * image.height


def balls(traces):
    return {t["name"]: (t["x"][-1], t["y"][-1]) for t in traces if (t["name"] or "").startswith("ball, ")}


def test_both_surfaces_render_and_the_trap_balls_end_apart(open_page, console_errors):
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    page.get_by_role("tab", name="3D surfaces").click()
    chart = page.get_by_test_id("stPlotlyChart").nth(1)
    expect(chart.locator("canvas").first).to_be_visible()
    wait_until(page, f"""() => {{ const el = document.querySelectorAll('{CHART}')[1];
        return el && el._fullData && el._fullData.filter(t => t.type === 'surface').length === 2; }}""")
    traces = plot_data(page, 1)
    assert [t["type"] for t in traces].count("surface") == 2
    ends = balls(traces)
    w_sq, b_sq = ends["ball, squared error, sigmoid neuron"]
    w_log, b_log = ends["ball, log-loss, sigmoid neuron"]
    assert ((w_sq - w_log) ** 2 + (b_sq - b_log) ** 2) ** 0.5 > 2.0
    # Both scenes are painted: the orange (non-convex) squared-error surface and the sky-blue log-loss bowl.
    # Software WebGL paints slowly on a busy machine: take screenshots until both scenes show (at most 60 s).
    deadline = time.monotonic() + 60
    while True:
        shoot(page, "trap-3d", chart)
        orange, sky, area = painted(SCREENSHOTS / "losses-trap-3d.png")
        if (orange > 0.03 * area and sky > 0.03 * area) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    assert orange > 0.03 * area, f"only {orange} orange pixels on the left"
    assert sky > 0.03 * area, f"only {sky} sky-blue pixels on the right"
    assert_no_console_errors(console_errors)


def _click_map(page, w, b):
    """Click the left contour map at (w, b), its pixel from plotly's own axis conversion, after a hover there."""
    page.locator(CHART).first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = page.locator(CHART).first.bounding_box()
    x, y = page.evaluate(f"""([w, b]) => {{
        const L = document.querySelectorAll('{CHART}')[0]._fullLayout;
        return [L.xaxis._offset + L.xaxis.l2p(w), L.yaxis._offset + L.yaxis.l2p(b)];
    }}""", [w, b])
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_click_on_a_contour_map_sets_the_start_point(open_page, console_errors):
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    _click_map(page, 2.0, 2.0)
    page.wait_for_function(f"""() => {{
        const el = document.querySelectorAll('{CHART}')[0];
        const s = el && el._fullData && el._fullData.find(t => t.name === 'start');
        return s && Math.abs(s.x[0] - 2.0) < 1e-6 && Math.abs(s.y[0] - 2.0) < 1e-6;
    }}""", polling=300, timeout=60_000)
    expect(page.get_by_role("radio", name="My own start (sliders or a click on a map)")).to_be_checked()
    expect(page).to_have_url(re.compile(r"^(?=.*w0=2)(?=.*b0=2)"))
    wait_for_app(page)
    assert_no_console_errors(console_errors)


@pytest.mark.parametrize("name, query", [("default", ""), ("l1", "?cost=absolute"),
                                         ("linear", "?cost=linear&preset=zeros"),
                                         ("tumour", "?dataset=tumour")])
def test_screenshots_of_each_state(page, base_url, console_errors, name, query):
    page.set_viewport_size({"width": 1400, "height": 3800})
    page.goto(f"{base_url}/losses{query}")
    wait_for_app(page)
    wait_for_plots(page, PLOTS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shoot(page, name)
    assert_no_console_errors(console_errors)


def test_likelihood_slider_updates_the_numbers(open_page, console_errors):
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    label = page.get_by_test_id("stRadio").filter(has_text="Label y of the example")
    label.get_by_text("0", exact=True).click()                     # label y = 0
    expect(label.get_by_role("radio", name="0", exact=True)).to_be_checked()
    metrics = page.get_by_test_id("stMetricValue")
    expect(metrics.nth(2)).to_have_text("0.200")                   # p = 0.8, y = 0: 1 − p and −log(0.2)
    expect(metrics.nth(3)).to_have_text("1.609")
    wait_for_app(page)
    shoot(page, "likelihood", page.get_by_test_id("stHorizontalBlock").filter(has=label))
    assert_no_console_errors(console_errors)


def _replay(page, keys=False):
    """Click the map's Replay button (keys: focus it and press Enter) and wait for its 60 frames; window.__frames
    holds their names."""
    page.evaluate(f"""() => {{
        const el = document.querySelectorAll('{CHART}')[0];
        window.__frames = [];
        el.on('plotly_animatingframe', e => window.__frames.push(e.name));
    }}""")
    button = page.locator(CHART).first.locator(".updatemenu-button")
    button.scroll_into_view_if_needed()
    if keys:
        assert (button.get_attribute("role"), button.get_attribute("aria-label")) == ("button", "▶ Replay both balls")
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()
    page.wait_for_function("window.__frames.length >= 60", polling=200, timeout=60_000)


def test_replay_rolls_both_balls_in_the_browser(open_page, console_errors):
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    _replay(page)
    frames = page.evaluate("window.__frames")
    assert frames[0] == "0" and len(frames) == 60                  # every frame played, no rerun needed
    final = balls(plot_data(page, 0))
    traces = plot_data(page, 0)
    paths = {t["name"]: (t["x"][-1], t["y"][-1]) for t in traces if (t["name"] or "").startswith("path, ")}
    for name, (x, y) in final.items():                             # each ball ends where its path ends
        px, py = paths[name.replace("ball, ", "path, ")]
        assert abs(x - px) < 1e-5 and abs(y - py) < 1e-5
    assert_no_console_errors(console_errors)


def test_replay_is_pressed_from_the_keyboard(open_page):
    """plotly's Replay button is an SVG group that took no keys (ui/keyboard_buttons.js makes it a button)."""
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    _replay(page, keys=True)
    assert page.evaluate("window.__frames")[0] == "0" and page.evaluate("window.__keyButtons.pressed") == 1


def _balls_agree_with_the_text(page):
    """JS predicate: each ball on the map is where the page's sentence says its run ends (w and b to 3 decimals),
    for the run the server made last."""
    return f"""() => {{
        const el = document.querySelectorAll('{CHART}')[0];
        const said = [...document.body.innerText.matchAll(/Ball ends at w = (−?[0-9.]+), b = (−?[0-9.]+)/g)]
            .map(m => [Number(m[1].replace('−', '-')), Number(m[2].replace('−', '-'))]);   // a real minus sign
        const shown = el._fullData.filter(t => (t.name || '').startsWith('ball, '))
            .map(t => [t.x[t.x.length - 1], t.y[t.y.length - 1]]);
        return said.length === 2 && shown.length === 2 && shown.every(([x, y], i) =>
            Math.abs(x - said[i][0]) <= 6e-4 && Math.abs(y - said[i][1]) <= 6e-4);
    }}"""


LAYERS = f"""() => [...document.querySelectorAll('{CHART}')[0].querySelectorAll('.cartesianlayer .subplot')]
    .map(sp => [...sp.querySelectorAll('g.mlayer')].map(g => g.getAttribute('class').split(' ')[0] + ':' +
                                                        (g.querySelectorAll('path, image').length > 0)))"""


def test_a_new_learning_rate_is_drawn_into_the_same_charts_and_replays(open_page, console_errors):
    """A new α is drawn into the charts the browser shows (ui/chart_bridge.js): the same chart elements, the map's
    colours and contour lines kept, the balls where the page's text says the new runs end, and Replay rolls the
    new runs; going back to the first α shows the first runs again."""
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    page.evaluate(f"() => {{ window.__kept = [...document.querySelectorAll('{CHART}')]; }}")
    first = balls(plot_data(page, 0))
    layers = f"document.querySelectorAll('{CHART}')[0].querySelectorAll('.heatmaplayer image, .contourlayer path')"
    contour_paths = page.evaluate(f"() => {layers}.length")
    assert contour_paths > 10
    drawn = page.evaluate(LAYERS)
    assert drawn == [["heatmaplayer:true", "contourlayer:true", "scatterlayer:true"]] * 2, drawn

    alpha = page.get_by_test_id("stSlider").filter(has_text="Learning rate α").get_by_role("slider")
    start = float(alpha.get_attribute("aria-valuetext") or alpha.get_attribute("aria-valuenow"))
    alpha.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("([v]) => new URL(location.href).searchParams.get('alpha') == v",
                           arg=[f"{start + 0.05:g}"], polling=200, timeout=60_000)
    wait_for_app(page)
    agreed = wait_until(page, _balls_agree_with_the_text(page), timeout=30_000)
    moved = balls(plot_data(page, 0))
    assert agreed, (first, moved)
    assert moved != first
    same = page.evaluate(f"() => [...document.querySelectorAll('{CHART}')].map(e => window.__kept.includes(e))")
    assert same == [True] * PLOTS                                 # no chart was taken down and built again
    assert page.evaluate(f"() => {layers}.length") == contour_paths
    assert page.evaluate("() => window.__chartBridge.drawn") >= 1
    # each map still draws its colours, then its contour lines, then its runs and markers, in that order
    assert page.evaluate(LAYERS) == drawn, page.evaluate(LAYERS)
    # more steps: the log-loss run may be over already (the same trace), and its map keeps its runs drawn
    steps = page.get_by_test_id("stSlider").filter(has_text="Steps").get_by_role("slider")
    steps.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    assert wait_until(page, _balls_agree_with_the_text(page), timeout=30_000)
    page.wait_for_timeout(500)
    assert page.evaluate(LAYERS) == drawn, page.evaluate(LAYERS)
    page.keyboard.press("ArrowLeft")
    wait_for_app(page)
    assert wait_until(page, _balls_agree_with_the_text(page), timeout=30_000)

    # Replay rolls the new runs: the frames were replaced with the new run's
    _replay(page)
    page.wait_for_timeout(500)
    assert balls(plot_data(page, 0)) == moved

    # back to the first α: the first runs again (what the spec holds)
    alpha.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    wait_until(page, "([el, v]) => Number(el.getAttribute('aria-valuetext')) === v",
               arg=[alpha.element_handle(), start])
    wait_for_app(page)
    back = wait_until(page, f"""([want]) => ({_balls_agree_with_the_text(page)})() &&
        document.querySelectorAll('{CHART}')[0]._fullData.filter(t => (t.name || '').startsWith('ball, '))
            .every((t, i) => t.x[t.x.length - 1] === want[i][0] && t.y[t.y.length - 1] === want[i][1])""",
                      arg=[list(first.values())], timeout=30_000)
    assert back, (first, balls(plot_data(page, 0)))

    # a click on the map after runs were drawn into it: the start is the point clicked
    _click_map(page, 2.0, 2.0)
    expect(page).to_have_url(re.compile(r"^(?=.*w0=2(&|$))(?=.*b0=2(&|$))"))
    wait_for_app(page)
    assert wait_until(page, _balls_agree_with_the_text(page), timeout=30_000)
    assert balls(plot_data(page, 0)) != first
    assert_no_console_errors(console_errors)


SLIDERS = ("w0", "b0", "alpha", "steps")


def _thumbs(page):
    """The four sliders' values as the page shows them (their range inputs)."""
    return page.evaluate(f"""() => Object.fromEntries({list(SLIDERS)}.map(k =>
        [k, Number(document.querySelector(`.st-key-${{k}} input[type=range]`).value)]))""")


def _core_runs(dataset, seed, cost, s):
    """Both runs as the server makes them (core), for slider settings s."""
    from core.data.datasets import one_feature
    from core.lessons import losses

    data = one_feature(dataset, seed)
    out = []
    for act, loss, name in (losses.rival(cost), losses.LOG):
        land = losses.landscape(data.x, data.y, act, loss, *losses.grid_axes())
        out.append(losses.descend(data.x, data.y, act, loss, name, s["w0"], s["b0"], s["alpha"], int(s["steps"]),
                                  land))
    return out


def _by_role(page, index):
    """{(role, run): (x, y)} of the index-th chart's traces that name what they show (meta.role)."""
    got = page.evaluate(f"""() => document.querySelectorAll('{CHART}')[{index}]._fullData
        .filter(t => t.meta && t.meta.role)
        .map(t => [t.meta.role, t.meta.run, Array.from(t.x), Array.from(t.y)])""")
    return {(role, run): (x, y) for role, run, x, y in got}


def _shows(page, runs, s):
    """The map and the cost curves show `runs` (core's) for slider settings s."""
    shown_map, shown_curves = _by_role(page, 0), _by_role(page, 1)
    got = page.evaluate(f"""() => document.querySelectorAll('{CHART}')[1]._fullData
        .filter(t => t.meta && t.meta.role === 'cost').map(t => [t.meta.run, Array.from(t.customdata)])""")
    hover = {("cost", run): data for run, data in got}
    for j, run in enumerate(runs):
        path = run.path
        assert np.allclose(shown_map[("path", j)], path[:, :2].T, rtol=1e-6, atol=1e-6)
        assert np.allclose(shown_map[("ball", j)], path[-1:, :2].T, rtol=1e-9, atol=1e-9)
        assert shown_map[("start", j)] == ([s["w0"]], [s["b0"]])
        # each cost as a share of its own start (two costs' values are not comparable), J itself for the hover
        cost_x, cost_y = shown_curves[("cost", j)]
        assert cost_x == list(range(len(path))) and np.allclose(cost_y, 100 * path[:, 2] / path[0, 2], rtol=1e-6)
        assert np.allclose(hover[("cost", j)], path[:, 2], rtol=1e-6)
        gap = np.maximum(run.gap, 1e-16)
        assert np.allclose(shown_curves[("gap", j)][1], gap, rtol=1e-6, atol=1e-12)


def test_a_dragged_slider_is_drawn_while_it_moves_before_the_page_reruns(open_page, console_errors):
    """ui/losses_preview.js: while the learning-rate thumb is dragged (Streamlit reruns only when it is let go),
    the maps and the cost curves already show the runs core makes for the thumb's value; after the release, the
    server's runs and text agree with them."""
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    said = page.locator("text=Ball ends at").first.inner_text()
    before = _thumbs(page)
    first = _by_role(page, 0)[("path", 0)]
    hold_and_drag(page, "alpha", 6, 8)
    moved = _thumbs(page)
    assert moved["alpha"] > before["alpha"] and {**moved, "alpha": 0} == {**before, "alpha": 0}
    runs = _core_runs("overlap", 0, "squared", moved)
    want = [round(float(v), 6) for v in runs[0].path[-1, :2]]
    assert wait_until(page, f"""([want]) => {{
        const t = document.querySelectorAll('{CHART}')[0]._fullData
            .find(t => t.meta && t.meta.role === 'ball' && t.meta.run === 0);
        return Math.abs(t.x[0] - want[0]) < 1e-6 && Math.abs(t.y[0] - want[1]) < 1e-6; }}""",
                      arg=[want], timeout=30_000), (want, _by_role(page, 0)[("ball", 0)])
    assert _by_role(page, 0)[("path", 0)] != first
    _shows(page, runs, moved)
    assert page.locator("text=Ball ends at").first.inner_text() == said        # no rerun while it is held
    assert page.evaluate("() => window.__chartBridge.previewed") >= 1

    page.mouse.up()
    page.wait_for_function("([v]) => Number(new URL(location.href).searchParams.get('alpha')) === v",
                           arg=[moved["alpha"]], polling=200, timeout=60_000)
    wait_for_app(page)
    assert wait_until(page, _balls_agree_with_the_text(page), timeout=30_000)
    _shows(page, runs, moved)
    assert_no_console_errors(console_errors)


@pytest.mark.parametrize("cost", ["absolute", "linear"])
def test_the_page_runs_gradient_descent_as_core_does(open_page, console_errors, cost):
    """The runs ui/losses_preview.js computes in the page are core's gradient descent: the same steps (stopped at
    convergence, at the step limit or where it blows up) and the same numbers to rounding, for every cost."""
    page = open_page(f"losses?dataset=tumour&cost={cost}&preset=custom&w0=1&b0=-1&alpha=1&steps=300")
    wait_for_plots(page, PLOTS)
    settings = [{"w0": 1.0, "b0": -1.0, "alpha": 1.0, "steps": 300},
                {"w0": -7.5, "b0": 4.2, "alpha": 0.05, "steps": 2000},
                {"w0": 3.0, "b0": 3.0, "alpha": 10.0, "steps": 500},      # large steps: oscillates or blows up
                {"w0": 0.0, "b0": 0.0, "alpha": 2.5, "steps": 1}]
    stops = set()
    for s in settings:
        got = page.evaluate("(s) => window.__lossesPreview.runs(s)", s)
        for run, mine in zip(_core_runs("tumour", 0, cost, s), got, strict=True):
            t = run.trajectory
            stops.add(t.status)
            assert len(mine["cost"]) == len(t.cost), (s, t.status)
            assert np.allclose(mine["w"], t.w[:, 0], rtol=1e-9, atol=1e-12)
            assert np.allclose(mine["b"], t.b, rtol=1e-9, atol=1e-12)
            assert np.allclose(mine["cost"], t.cost, rtol=1e-9, atol=1e-12)
    assert {"max_steps", "converged"} <= stops and (cost != "linear" or "diverged" in stops), stops
    assert_no_console_errors(console_errors)


def _step_axis_end(page):
    return page.evaluate(f"() => document.querySelectorAll('{CHART}')[1]._fullLayout.xaxis.range[1]")


def _step_axis_ends_at(page, end):
    """Wait until the cost curves' step axis ends at `end` (to half a step); whether it did."""
    return wait_until(page, f"([v]) => Math.abs(document.querySelectorAll('{CHART}')[1]._fullLayout.xaxis.range[1]"
                            " - v) < 0.5", arg=[end], timeout=30_000)


def test_the_cost_curves_fit_a_new_number_of_steps(open_page, console_errors):
    """The cost curves' step axis fits the runs drawn into them: after a rerun for fewer steps (the chart bridge),
    and while the steps thumb is dragged (the runs computed in the page)."""
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    start = _thumbs(page)
    assert _step_axis_end(page) == pytest.approx(start["steps"], abs=0.5)
    steps = page.locator(".st-key-steps input[type=range]")
    steps.focus()
    for _ in range(20):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function("([v]) => Number(new URL(location.href).searchParams.get('steps')) === v",
                           arg=[start["steps"] - 20], polling=200, timeout=60_000)
    wait_for_app(page)
    assert _step_axis_ends_at(page, start["steps"] - 20), _step_axis_end(page)

    hold_and_drag(page, "steps", -5, 5)
    moved = _thumbs(page)
    assert 1 <= moved["steps"] < start["steps"] - 20
    runs = _core_runs("overlap", 0, "squared", moved)
    end = max(len(r.path) for r in runs) - 1
    assert _step_axis_ends_at(page, end), (_step_axis_end(page), end)
    _shows(page, runs, moved)
    page.mouse.up()
    wait_for_app(page)
    assert_no_console_errors(console_errors)


def test_the_3d_surfaces_keep_their_scenes_and_camera_as_the_runs_change(open_page, console_errors):
    """With the 3D tab open, a new α is drawn into the same chart (the two WebGL scenes are not built again, nor the
    surfaces' meshes) and the camera the student turned stays; while the α thumb is dragged, the 3D paths follow it
    (the runs computed in the page)."""
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    page.get_by_role("tab", name="3D surfaces").click()
    surfaces = ".st-key-surfaces .js-plotly-plot"
    wait_until(page, f"""() => {{ const gd = document.querySelector('{surfaces}');
        return gd && gd._fullData && gd._fullData.filter(t => t.type === 'surface').length === 2; }}""")
    eye = {"x": 2.0, "y": 0.3, "z": 0.5}
    page.evaluate(f"""([eye]) => {{ const gd = document.querySelector('{surfaces}'); window.__kept3d = gd;
        return window.Plotly.relayout(gd, {{'scene.camera.eye': eye}}); }}""", [eye])
    # every build of a surface's WebGL mesh (and the contour lines on it), counted from here on
    page.evaluate(f"""() => {{ const L = document.querySelector('{surfaces}')._fullLayout; window.__meshBuilds = 0;
        for (const id of ['scene', 'scene2']) for (const t of Object.values(L[id]._scene.traces)) {{
            if (t.data.type !== 'surface') continue;
            const build = t.surface.update.bind(t.surface);
            t.surface.update = (...a) => {{ window.__meshBuilds += 1; return build(...a); }};
        }} }}""")

    def shown_3d():
        got = page.evaluate(f"""() => document.querySelector('{surfaces}')._fullData
            .filter(t => t.meta && t.meta.role).map(t => [t.meta.role, t.meta.run, Array.from(t.x), Array.from(t.y),
                                                        Array.from(t.z)])""")
        return {(role, run): np.array([x, y, z]) for role, run, x, y, z in got}

    def agrees(settings):
        runs = _core_runs("overlap", 0, "squared", settings)
        shown = shown_3d()
        return all(shown[("path3d", j)].shape == run.path.T.shape
                   and np.allclose(shown[("path3d", j)], run.path.T, rtol=1e-6, atol=1e-6)
                   and np.allclose(shown[("ball3d", j)], run.path[-1:].T, rtol=1e-6, atol=1e-6)
                   for j, run in enumerate(runs))

    alpha = page.locator(".st-key-alpha input[type=range]")
    start = _thumbs(page)
    alpha.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("([v]) => Number(new URL(location.href).searchParams.get('alpha')) === v",
                           arg=[round(start["alpha"] + 0.03, 2)], polling=200, timeout=60_000)
    wait_for_app(page)
    settings = {**start, "alpha": round(start["alpha"] + 0.03, 2)}
    deadline = time.monotonic() + 30
    while not agrees(settings) and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert agrees(settings)
    assert page.evaluate(f"() => document.querySelector('{surfaces}') === window.__kept3d")   # not built again
    camera = page.evaluate(f"() => document.querySelector('{surfaces}')._fullLayout.scene.camera.eye")
    assert camera == pytest.approx(eye)

    # one more step: the page draws the new runs into each scene once (ahead of the server); the rerun's payload,
    # whose numbers the scenes already show, is not drawn into them again (a redraw of both scenes in software)
    page.evaluate(f"""() => {{ const L = document.querySelector('{surfaces}')._fullLayout; window.__scenePlots = 0;
        for (const id of ['scene', 'scene2']) {{ const sc = L[id]._scene, plot = sc.plot.bind(sc);
            sc.plot = (...a) => {{ window.__scenePlots += 1; return plot(...a); }}; }} }}""")
    drawn = page.evaluate("() => window.__chartBridge.drawn")
    alpha.focus()
    page.keyboard.press("ArrowRight")
    settings = {**start, "alpha": round(start["alpha"] + 0.04, 2)}
    page.wait_for_function("([v]) => Number(new URL(location.href).searchParams.get('alpha')) === v",
                           arg=[settings["alpha"]], polling=200, timeout=60_000)
    wait_for_app(page)
    assert wait_until(page, "(n) => window.__chartBridge.drawn > n", drawn, timeout=30_000)
    page.wait_for_timeout(1000)
    assert agrees(settings)
    assert page.evaluate("() => window.__scenePlots") == 2

    hold_and_drag(page, "alpha", 6, 6)
    moved = _thumbs(page)
    deadline = time.monotonic() + 30
    while not agrees(moved) and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert agrees(moved), moved
    page.mouse.up()
    wait_for_app(page)
    assert page.evaluate(f"() => document.querySelector('{surfaces}') === window.__kept3d")
    assert page.evaluate("() => window.__meshBuilds") == 0          # the surfaces were not built again
    assert_no_console_errors(console_errors)


def test_the_page_runs_gradient_descent_as_core_does_on_every_data_set_and_cost(open_page, console_errors):
    """ui/losses_preview.js's runs against core's on every bundled data set and every rival cost: each one's
    payload (as the page makes it) is handed to the page's script, and its runs compared at three settings."""
    from core.data.datasets import ONE_FEATURE_SETS, one_feature
    from core.lessons import losses
    from ui.losses import preview_payload

    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    page.evaluate("() => { window.__pageRun = window.__lossesRun; }")
    settings = [{"w0": 2.0, "b0": -3.0, "alpha": 1.0, "steps": 200}, {"w0": -6.0, "b0": 5.0, "alpha": 7.5,
                                                                       "steps": 400},
                {"w0": 0.0, "b0": 0.0, "alpha": 0.05, "steps": 1000}]
    compared = 0
    for dataset in ONE_FEATURE_SETS:
        data = one_feature(dataset, 0)
        for cost in losses.RIVALS:
            s0 = settings[compared % len(settings)]
            runs = _core_runs(dataset, 0, cost, s0)
            payload = preview_payload(data.x, data.y, cost, [r.J_min for r in runs], {})
            got = page.evaluate("([R, s]) => { window.__lossesRun = R; return window.__lossesPreview.runs(s); }",
                                [payload, s0])
            for run, mine in zip(runs, got, strict=True):
                t = run.trajectory
                assert len(mine["cost"]) == len(t.cost), (dataset, cost, s0, t.status)
                assert np.allclose(mine["w"], t.w[:, 0], rtol=1e-9, atol=1e-12), (dataset, cost)
                assert np.allclose(mine["b"], t.b, rtol=1e-9, atol=1e-12), (dataset, cost)
                assert np.allclose(mine["cost"], t.cost, rtol=1e-9, atol=1e-12), (dataset, cost)
            compared += 1
    page.evaluate("() => { window.__lossesRun = window.__pageRun; }")
    assert compared == len(ONE_FEATURE_SETS) * len(losses.RIVALS)
    assert_no_console_errors(console_errors)


def test_a_payload_for_other_settings_than_the_sliders_show_waits(open_page, console_errors):
    """While the page's own runs are ahead of the server (ui/losses_preview.js), the chart bridge holds back a payload
    made for other slider settings than the thumbs show (a late answer for a rate the thumb has left), and draws one
    made for the thumbs' settings."""
    page = open_page("losses")
    wait_for_plots(page, PLOTS)
    thumbs = _thumbs(page)
    before = _by_role(page, 1)[("cost", 0)][1]
    draw = """([tag, y]) => {
        const gd = document.querySelector('.st-key-losses_curves .js-plotly-plot');
        const t = gd.data.findIndex(t => t.meta && t.meta.role === 'cost' && t.meta.run === 0);
        const p = JSON.parse(JSON.stringify(window.__charts.losses_curves));
        p.traces = {[t]: {trace: {type: 'scatter', x: y.map((_, k) => k), y: y}, hash: 'a new run ' + y[0],
                          look: 'same look'}};
        p.base = {[t]: {hash: 'the spec', look: 'same look'}};
        p.tag = tag;
        window.__charts.losses_curves = p;
        window.__chartBridge.scan();
    }"""
    page.evaluate("(s) => { window.__sliderPreview.views.losses.ahead = {settings: s, at: performance.now()}; }",
                  thumbs)
    late = {**thumbs, "alpha": thumbs["alpha"] + 0.5}
    page.evaluate(draw, [late, [0.5, 0.4, 0.3]])
    page.wait_for_timeout(1000)
    assert _by_role(page, 1)[("cost", 0)][1] == before                  # held back
    page.evaluate(draw, [thumbs, [0.5, 0.25, 0.125]])
    assert wait_until(page, """() => { const gd = document.querySelector('.st-key-losses_curves .js-plotly-plot');
        const t = gd._fullData.find(t => t.meta && t.meta.role === 'cost' && t.meta.run === 0);
        return t.y.length === 3 && t.y[2] === 0.125; }""", timeout=30_000)
    assert_no_console_errors(console_errors)


# The map's Replay button and its two titles (px from the top of the chart; left and right edges).
MAP_HEAD = f"""() => {{ const gd = document.querySelectorAll('{CHART}')[0], top = gd.getBoundingClientRect().top;
    const box = el => {{ const r = el.getBoundingClientRect();
                         return [r.top - top, r.bottom - top, r.left, r.right]; }};
    return {{button: box(gd.querySelector('.updatemenu-button')),
             titles: [...gd.querySelectorAll('.annotation')].slice(0, 2).map(box)}}; }}"""


@pytest.mark.parametrize(("width", "query"), [(420, ""), (1024, "?teacher=1"), (1280, "")],
                         ids=["phone", "projector-1024", "laptop"])
def test_the_maps_titles_and_replay_button_do_not_overlap(browser, base_url, width, query):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/losses{query}")
        wait_for_app(page)
        wait_for_plots(page, PLOTS)
        head = page.evaluate(MAP_HEAD)
        (b_top, b_bottom, *_), (left, right) = head["button"], head["titles"]
        assert b_top >= 0, head                                        # inside the chart
        assert b_bottom <= min(left[0], right[0]), head                # above both titles
        assert left[3] <= right[2], head                               # the titles side by side, apart
    finally:
        context.close()


# each 3D scene's box in the page (px), its title's and the legend's, read after the page's narrow layout settled
SCENE_BOXES = """() => { const gd = document.querySelector('.st-key-surfaces .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullLayout.scene2 || !gd._fullLayout.scene2._scene) return null;
    const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
    const titles = [...gd.querySelectorAll('.annotation')].map(box);
    const legend = gd.querySelector('.legend');
    return {chart: box(gd), scenes: ['scene', 'scene2'].map(id => box(gd._fullLayout[id]._scene.container)),
            titles, legend: legend ? box(legend) : null}; }"""


@pytest.mark.parametrize("width", [1440, 1152, 1024, 390])
def test_each_3d_surface_is_as_wide_as_high_beside_the_sidebar_and_on_a_phone(page, base_url, width):
    """Plotly fits a 3D scene's cube to the scene's height. Side by side in a chart narrower than 1,000 px (a
    1,280-px laptop with the sidebar open gives 820 px, a 1,024-px one 564 px) each scene was narrower than high,
    and the J axis was cut off the left one, the w axis off the right one. Now each scene is at least as wide as it
    is high, under its title, with the legend under the scenes; on a phone the scenes are stacked."""
    from tests.e2e import helpers
    page.set_viewport_size({"width": width, "height": 900})
    helpers.open_page(page, base_url, "losses")
    page.get_by_role("tab", name="3D surfaces").click()
    assert helpers.wait_until_steady(page, f"() => !!({SCENE_BOXES})()")
    got = page.evaluate(SCENE_BOXES)
    (l1, t1, w1, h1), (l2, t2, w2, h2) = got["scenes"]
    chart_left, _, chart_w, _ = got["chart"]
    if chart_w >= 560:
        assert w1 >= h1 - 1 and w2 >= h2 - 1, got                  # as wide as high: the cube is not cut
        assert l1 + w1 <= l2 + 1 and abs(t1 - t2) < 1, got         # side by side
        for (tl, tt, tw, th), (sl, st_, sw, _) in zip(got["titles"], got["scenes"], strict=True):
            assert tt + th <= st_ + 1 and sl - 1 <= tl and tl + tw <= sl + sw + 1, got   # above its scene
        assert got["legend"][1] >= t1 + h1 - 1, got                # under the scenes
    else:
        assert abs(w1 - chart_w) < 2 and abs(w2 - chart_w) < 2, got
        assert t1 + h1 <= t2, got                                  # stacked
        title2 = got["titles"][1]
        assert t1 + h1 - 1 <= title2[1] and title2[1] + title2[3] <= t2 + 1, got   # between them
    helpers.save_screenshot(page, f"losses-3d-{width}")
