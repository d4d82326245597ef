"""Teacher mode in a real browser: projector text size, hidden controls, flags across pages, the shared link."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, save_screenshot, wait_for_app, wait_for_charts, wait_until

# The page's one-sentence description, right under its title (ui.common.page_header).
INTRO = "[data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'] p"
# Computed font sizes (px) of the first element matching each selector.
FONT_SIZES = "sels => sels.map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"
LINK = ".st-key-classroom_link_url input"


def font_px(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def link_text(page: Page) -> str:
    return page.locator(LINK).first.input_value().strip()


def test_teacher_mode_enlarges_text(page: Page, base_url: str):
    open_page(page, base_url, "activations")
    normal = font_px(page, INTRO), font_px(page, "h1")
    open_page(page, base_url, "activations?teacher=1")
    wait_until(page, f"want => ({FONT_SIZES})(want.sels).every((px, i) => px === want.px[i])",
               {"sels": [INTRO, "h1"], "px": [normal[0] * 1.25, normal[1] * 1.25]})
    big = font_px(page, INTRO), font_px(page, "h1")
    assert big[0] == normal[0] * 1.25 and big[1] == normal[1] * 1.25, (normal, big)
    save_screenshot(page, "teacher-activations")


# The font size (px) plotly drew the first tick label of the first chart with (of any axis: a chart whose
# subplots share their x axis may show no label on its first x axis).
TICK_PX = "() => { const t = document.querySelector('.js-plotly-plot .xaxislayer-above text, " \
          ".js-plotly-plot .yaxislayer-above text'); return t ? parseFloat(getComputedStyle(t).fontSize) : 0; }"


def test_teacher_mode_enlarges_the_charts_inside_the_page(page: Page, base_url: str):
    open_page(page, base_url, "activations")
    wait_for_charts(page)
    wait_until(page, f"() => ({TICK_PX})() > 0")
    normal = page.evaluate(TICK_PX)
    assert normal > 0, "no tick label found in the first chart"
    open_page(page, base_url, "activations?teacher=1")
    wait_for_charts(page)
    wait_until(page, f"want => ({TICK_PX})() >= want", normal * 1.3)
    assert page.evaluate(TICK_PX) >= normal * 1.3
    # and the larger chart still fits the page: nothing wider than the main column
    fits = page.evaluate("""() => { const main = document.querySelector('[data-testid="stMainBlockContainer"]')
                                                      .getBoundingClientRect();
        return [...document.querySelectorAll('.js-plotly-plot')].every(
            p => p.getBoundingClientRect().right <= main.right + 1); }""")
    assert fits
    save_screenshot(page, "teacher-activations-chart")


def test_hide_hides_that_control_only(page: Page, base_url: str):
    open_page(page, base_url, "graph?hide=eps,a_bad<key")
    expect(page.locator(".st-key-eps")).to_have_count(1)
    expect(page.locator(".st-key-eps")).to_be_hidden()                     # in the page, but not shown
    expect(page.get_by_test_id("stNumberInput").first).to_be_visible()     # the other controls stay
    expect(page).to_have_url(re.compile(r"^(?!.*bad).*hide=eps"))          # the URL keeps only the valid key
    expect(page.locator(".st-key-classroom_link")).to_contain_text("ignored")


def test_flags_survive_a_page_switch_through_the_menu(page: Page, base_url: str):
    open_page(page, base_url, "activations?teacher=1&hide=z")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Computation graph").click()
    page.wait_for_url("**/graph**")
    expect(page.locator("h1").first).to_have_text("Computation graph")
    wait_for_app(page)
    # teacher=1 goes along; hide=z is the activations page's own list (pages share names), so it stays there
    expect(page).to_have_url(re.compile(r"^(?=.*teacher=1)(?!.*hide=)"))
    wait_until(page, f"() => ({FONT_SIZES})(['h1'])[0] > 40")
    assert font_px(page, "h1") > 40                                   # 2.75rem at a 20 px root (44 px, not 35)
    expect(page.locator(LINK).first).to_have_value(re.compile("teacher=1"))
    expect(page.locator(LINK).first).not_to_have_value(re.compile("hide="))
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Activations").click()
    page.wait_for_url("**/activations**")
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"^(?=.*teacher=1)(?=.*hide=z)"))   # back: its list again
    expect(page.locator(".st-key-z")).to_be_hidden()


def test_the_link_reproduces_the_experiment(page: Page, base_url: str):
    open_page(page, base_url, "activations")
    wait_for_charts(page)                                              # widgets load lazily, like charts
    slider = page.locator(".st-key-z input[type='range']")         # Streamlit 1.67's slider is a range input
    expect(slider).to_have_value("1")
    slider.focus()
    for value in ("1.1", "1.2", "1.3"):                                # keyboard only: z = 1.0 -> 1.3
        slider.press("ArrowRight")
        expect(slider).to_have_value(value)
    expect(page.locator(LINK).first).to_have_value(re.compile(r"/activations\?z=1\.3$"))
    wait_for_app(page)
    url = link_text(page)
    assert url.endswith("/activations?z=1.3"), url
    metric = page.get_by_test_id("stMetricValue").first.inner_text()

    other = page.context.new_page()                                     # a student opening the shared link
    other.goto(url)
    wait_for_app(other)
    expect(other.locator("h1").first).to_have_text("Activations")
    wait_for_charts(other)
    expect(other.locator(".st-key-z input[type='range']")).to_have_value("1.3")
    expect(other.get_by_test_id("stMetricValue").first).to_have_text(metric)
    other.close()


def test_the_copy_button_copies_the_link(page: Page, base_url: str):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, base_url, "activations?z=2")
    wait_for_app(page)
    expect(page.locator(LINK).first).to_have_value(re.compile(r"/activations\?z=2(\.0)?$"))
    page.locator(".basin-copy-link").click()
    expect(page.locator(".basin-copy-link")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link_text(page)


def test_the_teachers_guide_links_its_examples_to_this_server(page: Page, base_url: str):
    open_page(page, base_url, "teachers")
    example = page.get_by_role("link", name=f"{base_url}/activations?z=-4&hide=z")
    expect(example).to_have_attribute("href", f"{base_url}/activations?z=-4&hide=z")
    with page.context.expect_page() as opened:               # a guide's link opens in a new tab
        example.click()
    lesson = opened.value
    wait_for_app(lesson)
    expect(lesson.locator("h1").first).to_have_text("Activations")
    assert lesson.get_by_test_id("stException").count() == 0
    expect(lesson.locator(LINK).first).to_have_value(re.compile(r"[?&]z=-4(&|$)"))   # the experiment it names
    expect(lesson.locator(".st-key-z")).to_be_hidden()                              # hide=z
    lesson.close()


# The font size (px) of the first subplot title of the chart that shows `text`.
TITLE_PX = """text => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(p => p.textContent.includes(text));
  const t = gd && gd.querySelector('.annotation-text'); return t ? parseFloat(getComputedStyle(t).fontSize) : 0; }"""


def test_on_a_phone_the_projector_charts_take_a_phones_text_size(page: Page, base_url: str):
    """The projector view's charts carry 1.35 times the text, more than a 358-px chart holds: on a phone
    ("resized to num_px × num_px" ran into "x, shape (625, 1)" on Classify, the Losses maps' titles into each
    other) they are laid out as a student's phone shows them, and take their larger text back once the window is
    wider (a phone turned, a window widened)."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, base_url, "classify")
    wait_for_charts(page)
    wait_until(page, f"() => ({TITLE_PX})('num_px') > 0")
    student, student_h1 = page.evaluate(TITLE_PX, "num_px"), font_px(page, "h1")
    open_page(page, base_url, "classify?teacher=1")
    wait_for_charts(page)
    assert wait_until(page, f"want => ({TITLE_PX})('num_px') === want", student), page.evaluate(TITLE_PX, "num_px")
    assert font_px(page, "h1") == student_h1 * 1.25          # the page's own text stays larger
    assert page.evaluate("() => window.__narrowFit.narrowed") >= 1
    page.set_viewport_size({"width": 1280, "height": 844})
    assert wait_until(page, f"want => Math.abs(({TITLE_PX})('num_px') - want) < 0.1", student * 1.35), \
        page.evaluate(TITLE_PX, "num_px")
    page.set_viewport_size({"width": 390, "height": 844})
    assert wait_until(page, f"want => ({TITLE_PX})('num_px') === want", student)


# the right edge of the chart's rightmost button (play, pause, ... "Step ▶"), and of the chart
BUTTONS_RIGHT = """text => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(p => p.textContent.includes(text));
  const right = [...gd.querySelectorAll('.updatemenu-button')].map(b => b.getBoundingClientRect().right);
  return [Math.max(...right), gd.getBoundingClientRect().right]; }"""


SCENE_PX = """text => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(p => p.textContent.includes(text));
  const L = gd._fullLayout, d = L.scene.domain;
  return [(d.y[1] - d.y[0]) * L._size.h, (d.x[1] - d.x[0]) * L._size.w]; }"""


def test_on_a_phone_the_projector_basin_takes_a_phones_text_size(page: Page, base_url: str):
    """The Cost basin's chart has its own script's narrow layouts; in the projector view on a phone it kept 1.35
    times its text, and its row of buttons ran past the chart's right edge ("Step ▶" cut off). Now it takes the
    phone step after its own (meta.basin.phone), and its larger text back in a wide window. On a phone, play and
    pause are their signs alone: the row of five buttons was wider than the plot, also for a student on a 360-px
    phone ("Step ▶" cut by 30 px).
    Its 3D scene is as high as the student's there: the copy is higher, and its taller scene had the J axis's
    labels cut off the left edge (plotly fits the cube to the scene's height)."""
    title = "The basin J(w, b)"   # its first title (the lower ones are shorter in the projector's compact layout)
    page.set_viewport_size({"width": 360, "height": 800})
    open_page(page, base_url, "basin")
    wait_for_charts(page)
    assert wait_until(page, f"() => {{ const [b, c] = ({BUTTONS_RIGHT})('{title}'); return b <= c + 1; }}"), \
        page.evaluate(BUTTONS_RIGHT, title)
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, base_url, "basin")
    wait_for_charts(page)
    wait_until(page, f"() => ({TITLE_PX})('{title}') > 0")
    student = page.evaluate(TITLE_PX, title)
    student_scene = page.evaluate(SCENE_PX, title)
    open_page(page, base_url, "basin?teacher=1")
    wait_for_charts(page)
    assert wait_until(page, f"want => ({TITLE_PX})('{title}') === want", student), page.evaluate(TITLE_PX, title)
    buttons, chart = page.evaluate(BUTTONS_RIGHT, title)
    assert buttons <= chart + 1, (buttons, chart)
    high, wide = page.evaluate(SCENE_PX, title)
    assert abs(high - student_scene[0]) <= 2 and high <= wide, (high, wide, student_scene)   # (the page's own
    # margins are wider in the projector view, so the chart is a little narrower)
    page.set_viewport_size({"width": 1280, "height": 844})
    assert wait_until(page, f"want => Math.abs(({TITLE_PX})('{title}') - want) < 0.1", student * 1.35), \
        page.evaluate(TITLE_PX, title)


def test_hiding_a_chart_hides_its_phone_copy_too(page: Page, base_url: str):
    """Activations draws its chart twice, keyed curves and curves_phone, and shows one (BASE_CSS): hide=curves left
    the phone's copy on a 390-px phone."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, base_url, "activations?hide=curves")
    wait_for_charts(page)
    expect(page.locator(".st-key-curves_phone")).to_have_count(1)
    expect(page.locator(".st-key-curves_phone")).to_be_hidden()
    assert page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].filter("
                         "p => p.getBoundingClientRect().width > 0).length") == 0


# The Cost basin's chart: its width, and whether its script laid it out in one column (a phone's layout).
BASIN_LAYOUT = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(p => p.textContent.includes('Top view (click'));
  if (!gd || !gd._fullLayout) return null;
  const labels = [...gd.querySelectorAll('.updatemenu-button text')].map(t => t.textContent);
  return {width: Math.round(gd.getBoundingClientRect().width), legend: gd._fullLayout.legend.orientation,
          play: labels.includes('▶ Play'), whole: gd._fullLayout.scene.domain.x[1] === 1,
          titles: [...gd.querySelectorAll('.annotation-text')].map(t => t.textContent).slice(1, 4),
          cube: gd._fullLayout.scene.aspectmode === 'cube'}; }"""
LONG_TITLES = ["Top view (click: start here)", "Data and the neuron's output", "Cost J at each step"]


def test_on_a_1280_pixel_projector_the_basin_takes_the_whole_width_beside_the_sidebar(page: Page, base_url: str):
    """The guide's advice (docs/CLASSROOM.md, Teacher flags): at 1280 × 800 with teacher=1 and the sidebar open the
    chart is 705 px wide. It was drawn in a phone's single column there (the basin 280 px high, the legend under
    it, ▶ without "Play"); the basin now takes the whole width, the legend over its corner, the three lower
    panels keep their row under shorter titles, and the cube is a little smaller in a scene about as high as it is
    wide (plotly's camera cut the J axis off its left edge). With the sidebar closed the chart is 1080 px wide,
    with the full titles and the whole cube."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, base_url, "basin?teacher=1")
    wait_for_charts(page)
    compact = f"() => {{ const s = ({BASIN_LAYOUT})(); return s && s.titles[2] === 'Cost J per step'; }}"
    assert wait_until(page, compact), page.evaluate(BASIN_LAYOUT)
    seen = page.evaluate(BASIN_LAYOUT)
    assert 690 < seen["width"] < 720 and seen["legend"] == "v" and seen["play"] and seen["whole"], seen
    assert seen["titles"] == ["Top view (click)", "Data and output", "Cost J per step"] and not seen["cube"], seen
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    wide = (f"() => {{ const s = ({BASIN_LAYOUT})(); "
            f"return s && s.width > 1000 && s.titles[2] === '{LONG_TITLES[2]}'; }}")
    assert wait_until(page, wide), page.evaluate(BASIN_LAYOUT)
    seen = page.evaluate(BASIN_LAYOUT)
    assert seen["titles"] == LONG_TITLES and seen["cube"] and seen["play"] and seen["legend"] == "v", seen
