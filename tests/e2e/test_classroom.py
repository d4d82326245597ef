"""Teacher mode in a real browser: projector text size, hidden controls, flags across pages, the shared link."""

from playwright.sync_api import Page

from tests.e2e.helpers import open_page, save_screenshot, wait_for_app, wait_for_charts

# The page's one-sentence description, right under its title (ui.common.page_header).
INTRO = "[data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'] p"


def font_px(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def link_text(page: Page) -> str:
    return page.locator(".st-key-classroom_link [data-testid='stCode'] code").first.inner_text().strip()


def test_teacher_mode_enlarges_text(page: Page, base_url: str):
    open_page(page, base_url, "activations")
    normal = font_px(page, INTRO), font_px(page, "h1")
    open_page(page, base_url, "activations?teacher=1")
    big = font_px(page, INTRO), font_px(page, "h1")
    assert big[0] == normal[0] * 1.25 and big[1] == normal[1] * 1.25, (normal, big)
    save_screenshot(page, "teacher-activations")


def test_hide_hides_that_control_only(page: Page, base_url: str):
    open_page(page, base_url, "graph?hide=eps,a_bad<key")
    assert page.locator(".st-key-eps").count() == 1
    assert not page.locator(".st-key-eps").is_visible()              # in the page, but not shown
    assert page.get_by_test_id("stNumberInput").first.is_visible()   # the other controls stay
    assert "hide=eps" in page.url and "bad" not in page.url          # the URL keeps only the valid key
    assert "ignored" in page.locator(".st-key-classroom_link").inner_text()


def test_flags_survive_a_page_switch_through_the_menu(page: Page, base_url: str):
    open_page(page, base_url, "activations?teacher=1&hide=z")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Computation graph").click()
    page.wait_for_url("**/graph**")
    wait_for_app(page)
    assert "teacher=1" in page.url and "hide=z" in page.url
    assert font_px(page, "h1") > 40                                   # 2.75rem at a 20 px root (44 px, not 35)
    assert "teacher=1" in link_text(page)


def test_the_link_reproduces_the_experiment(page: Page, base_url: str):
    open_page(page, base_url, "activations")
    wait_for_charts(page)                                              # widgets load lazily, like charts
    slider = page.locator(".st-key-z input[type='range']")         # Streamlit 1.67's slider is a range input
    assert slider.input_value() == "1"
    slider.focus()
    for _ in range(3):                                                 # keyboard only: z = 1.0 -> 1.3
        slider.press("ArrowRight")
    wait_for_app(page)
    assert slider.input_value() == "1.3"
    url = link_text(page)
    assert url.endswith("/activations?z=1.3"), url

    other = page.context.new_page()                                     # a student opening the shared link
    other.goto(url)
    wait_for_app(other)
    wait_for_charts(other)
    assert other.locator(".st-key-z input[type='range']").input_value() == "1.3"
    assert other.get_by_test_id("stMetricValue").first.inner_text() == \
        page.get_by_test_id("stMetricValue").first.inner_text()
    other.close()
