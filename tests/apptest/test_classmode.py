"""Class mode's page, headless: a teacher and students are separate AppTests (separate sessions) sharing one
store, a SQLite file in a temporary folder (BASIN_DATA_DIR)."""

import pytest
from streamlit.testing.v1 import AppTest

from classmode import model
from core.lessons import predict as pr
from tests.conftest import APP
from ui import classmode as ui_cm
from ui import classmode_questions as cq

PAGE = "pages/classmode.py"
TIMEOUT = 60


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Every session of this test uses a fresh SQLite store under tmp_path."""
    monkeypatch.setenv("BASIN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BASIN_REDIS_URL", raising=False)
    ui_cm.store.clear()
    yield tmp_path
    ui_cm.store.clear()


def session(**query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    return at.switch_page(PAGE).run()


def plain(text: str) -> str:
    """Text as the reader sees it: without escape_markdown's backslashes and zero-width spaces."""
    return text.replace("\u200b", "").replace("\\", "")


def texts(at) -> str:
    return plain("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                            + [s.value for s in at.success] + [e.value for e in at.error] + [i.value for i in at.info]))


def errors(at) -> list[str]:
    return [plain(e.value) for e in at.error]


def ok(at) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def start_class(data_dir):
    teacher = ok(session(teacher="1"))
    ok(teacher.button(key="cm_start").click().run())
    code, token = teacher.query_params["class"], teacher.query_params["key"]
    return teacher, code, token


def join(code, nickname=None, **query):
    at = ok(session(**query))
    at.text_input(key="cm_code").input(code)
    if nickname is not None:
        at.text_input(key="cm_nickname").input(nickname)
    return ok(at.button(key="cm_join").click().run())


def test_teacher_starts_a_class_with_a_code_a_join_link_and_a_private_token(data_dir):
    teacher, code, token = start_class(data_dir)
    assert model.parse_code(code) == code                  # 8 characters of the code alphabet: 40 bits
    html = "".join(h.proto.body for h in teacher.get("html"))
    assert model.display_code(code) in html                # shown large for the projector
    links = [c.value for c in teacher.code]
    assert any(link.endswith(f"/classmode?class={code}") for link in links)   # the join link has no token
    assert not any(token in link for link in links if "key=" not in link)
    assert "0 students joined" in texts(teacher)
    assert (data_dir / "classes.sqlite3").exists()


def test_without_the_teacher_flag_the_page_is_the_join_form(data_dir):
    at = ok(session())
    assert [b.label for b in at.button] == ["Join the class"]
    assert not any(b.key == "cm_start" for b in at.button)


def test_a_student_joins_with_the_link_and_reload_keeps_the_class(data_dir):
    _, code, _ = start_class(data_dir)
    student = ok(session(**{"class": code}))
    # the join link fills in the code, written as the projector shows it (ABCD-EFGH)
    assert student.text_input(key="cm_code").value == f"{code[:4]}-{code[4:]}"
    student.text_input(key="cm_nickname").input("Ada **b** [x](y)")
    ok(student.button(key="cm_join").click().run())
    sid = student.query_params["student"]
    assert student.query_params["class"] == code and "key" not in student.query_params
    page = texts(student)
    assert "The question appears here" in page
    # The nickname is escaped, never markup.
    assert "you joined as Ada \\*\\*b\\*\\* \\[x\\]" in "\n".join(m.value for m in student.markdown)
    again = ok(session(**{"class": code, "student": sid}))     # a reload: a new session with the same link
    assert "The question appears here" in texts(again)
    assert again.query_params["student"] == sid


def test_bad_and_unknown_codes_get_one_plain_sentence(data_dir):
    at = join("hello")
    assert errors(at) == ["That is not a class code: a code is 8 letters and digits, like ABCD-EFGH. It has O, "
                          "which codes never use (no 0, 1, I or O)."]
    at = join("ZZZZ-ZZZZ")
    assert errors(at) == ["There is no class with the code ZZZZ-ZZZZ: check the code on the "
                                           "projector."]
    at = ok(session(**{"class": "<script>", "student": "x" * 22}))
    assert len(at.error) == 1 and "<script>" not in at.error[0].value
    assert any(b.key == "cm_join" for b in at.button)          # the form is there to try again


def test_a_forged_teacher_token_does_nothing(data_dir):
    _, code, token = start_class(data_dir)
    forged = ok(session(teacher="1", **{"class": code, "key": token[:-1] + ("A" if token[-1] != "A" else "B")}))
    assert len(forged.error) == 1 and "not the teacher's link" in errors(forged)[0]
    assert not any(b.key in ("cm_ask", "cm_reveal", "cm_close") for b in forged.button)


def test_ask_answer_change_reveal_next_and_close(data_dir):
    teacher, code, token = start_class(data_dir)
    alice, bob = join(code, "Alice"), join(code)
    # The teacher asks the default question: the Cost basin, α = oscillating.
    ok(teacher.button(key="cm_ask").click().run())
    assert "Question 1: **0** of 2 answered" in texts(teacher)
    key = f"cm_answer_{code}_1"
    for s in (alice, bob):
        ok(s.run())
        assert "With this learning rate" in texts(s)
        assert s.radio(key=key).value is None
    ok(alice.radio(key=key).set_value("smooth").run())
    ok(alice.radio(key=key).set_value("zigzag").run())          # a change of mind: still counted once
    ok(bob.radio(key=key).set_value("wild").run())
    assert "Your answer is in: It zigzags" in texts(alice)
    ok(teacher.run())
    assert "Question 1: **2** of 2 answered" in texts(teacher)
    # the projector is the room's screen: no bars while answers are open, unless the teacher shows them
    assert not teacher.get("plotly_chart") and "The bars appear when you reveal the answer" in texts(teacher)
    ok(teacher.toggle(key="cm_live_bars").set_value(True).run())
    bars = teacher.get("plotly_chart")[0].proto.spec
    assert '"orientation":"h"' in bars.replace(" ", "")
    ok(teacher.toggle(key="cm_live_bars").set_value(False).run())
    assert not teacher.get("plotly_chart")
    # A reload keeps the answer.
    again = ok(session(**{"class": code, "student": alice.query_params["student"]}))
    assert again.radio(key=key).value == "zigzag"
    # The reveal: the students see the run, the explanation and how the class did; the projector too.
    ok(teacher.button(key="cm_reveal").click().run())
    assert "(revealed)" in texts(teacher) and "**1 of 2** answered right (50 %)" in texts(teacher)
    assert any('"orientation":"h"' in c.proto.spec.replace(" ", "") for c in teacher.get("plotly_chart"))
    ok(alice.run())
    page = texts(alice)
    assert "**Right.** You said: It zigzags" in page and "How the class answered" in page
    assert r"$alphalambda_{max}$" in page              # typeset (core.markup.notation), backslashes dropped by plain()
    assert alice.radio(key=key).disabled
    assert any(link.label.startswith("Open this experiment") for link in alice.get("page_link"))
    ok(bob.run())
    assert "**Not this time.**" in texts(bob)
    assert bob.radio(key=key).disabled and bob.radio(key=key).value == "wild"   # answers are closed
    # Next question, then close: the students are told the class has ended.
    teacher.radio(key="cm_q_page").set_value("losses")
    ok(teacher.run())
    ok(teacher.button(key="cm_ask").click().run())
    assert "Question 2: **0** of 2 answered" in texts(teacher)
    ok(alice.run())
    assert "which cost will get stuck" in texts(alice)
    ok(teacher.button(key="cm_close").click().run())
    assert "is closed" in texts(teacher) and any(b.key == "cm_start" for b in teacher.button)
    ok(alice.run())
    assert errors(alice) == [f"Class {model.display_code(code)} has ended: ask your teacher for a "
                                              "new code."]
    # the teacher's own link, opened on another device after the end, is not told to ask a teacher
    again = ok(session(teacher="1", **{"class": code, "key": token}))
    assert errors(again) == [f"Class {model.display_code(code)} has ended: start a new class below."]
    assert any(b.key == "cm_start" for b in again.button)


def test_answers_per_student_are_limited(data_dir):
    teacher, code, _ = start_class(data_dir)
    ok(teacher.button(key="cm_ask").click().run())
    student = join(code)
    key = f"cm_answer_{code}_1"
    picks = ["smooth", "zigzag"] * 3
    for pick in picks[:model.MAX_SUBMISSIONS]:
        ok(student.radio(key=key).set_value(pick).run())
    assert not student.error
    ok(student.radio(key=key).set_value(picks[model.MAX_SUBMISSIONS]).run())
    assert errors(student) == [f"You have already answered {model.MAX_SUBMISSIONS} times: your last "
                                                "answer stays until the reveal."]
    assert student.radio(key=key).value == picks[model.MAX_SUBMISSIONS - 1]   # the radio shows what counts
    # and the box under it agrees: it said "You can still change it" under the red "your last answer stays"
    assert [s.value for s in student.success] == ["Your answer is in: It rolls smoothly downhill. "
                                                  "It stays until the reveal."]


def test_a_question_from_a_pasted_link(data_dir):
    teacher, code, _ = start_class(data_dir)
    ok(teacher.radio(key="cm_q_page").set_value("link").run())
    assert not any(b.key == "cm_ask" for b in teacher.button)
    ok(teacher.text_input(key="cm_q_link").input("https://example.org/home?alpha=1").run())
    assert len(teacher.error) == 1 and "not a Cost basin" in errors(teacher)[0]
    ok(teacher.text_input(key="cm_q_link").input("http://x/basin?neuron=linear&alpha=too-large&teacher=1").run())
    ok(teacher.button(key="cm_ask").click().run())
    q = cq.from_link("http://x/basin?neuron=linear&alpha=too-large")
    _, alpha, _ = pr.basin_run(pr._basin_params(dict(q.settings)))       # the named rate, said as its number
    assert f"linear neuron, squared error, α = {alpha:.3g}" in texts(teacher) and "too-large" not in texts(teacher)


def test_switching_pages_and_back_keeps_the_class(data_dir):
    teacher, code, _ = start_class(data_dir)
    student = join(code)
    sid = student.query_params["student"]
    ok(student.switch_page("pages/activations.py").run())
    ok(student.switch_page(PAGE).run())
    assert student.query_params["student"] == sid and "The question appears here" in texts(student)


def test_the_classes_per_server_limit_gets_one_sentence(data_dir, monkeypatch):
    from classmode.sqlite_store import SQLiteStore
    monkeypatch.setattr(ui_cm, "open_store", lambda: SQLiteStore(data_dir / "classes.sqlite3", max_classes=1))
    ui_cm.store.clear()
    start_class(data_dir)
    second = ok(session(teacher="1"))
    ok(second.button(key="cm_start").click().run())
    assert errors(second) == ["This server already runs 1 classes, its limit: try again when one has ended (classes "
                              "end 3 hours after they start)."]
    assert "class" not in second.query_params and any(b.key == "cm_start" for b in second.button)


def test_the_introduction_speaks_to_whoever_is_looking(data_dir):
    """The teacher's screen (teacher=1) said 'Your teacher asks … you predict on your own screen'."""
    from ui.classmode import STUDENT_INTRO, TEACHER_INTRO
    student, teacher = ok(session()), ok(session(teacher="1"))
    assert STUDENT_INTRO in texts(student) and TEACHER_INTRO not in texts(student)
    assert TEACHER_INTRO in texts(teacher) and STUDENT_INTRO not in texts(teacher)


def bar_labels(at) -> list[str]:
    """The projector's bars' words, as plotly draws them (the label lines joined again)."""
    import json
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [y.replace("<br>", " ") for y in spec["data"][0]["y"]]


def test_a_student_who_leaves_and_joins_again_is_counted_once(data_dir):
    """Leave, then Join again in the same class, and answer: the projector said '2 of 2 answered' for one student,
    with both answers in the bars."""
    teacher, code, _ = start_class(data_dir)
    ok(teacher.button(key="cm_ask").click().run())
    student = join(code)
    key = f"cm_answer_{code}_1"
    ok(student.radio(key=key).set_value("smooth").run())
    ok(student.button(key="cm_leave").click().run())
    ok(student.button(key="cm_join").click().run())
    ok(student.radio(key=key).set_value("zigzag").run())
    ok(teacher.run())
    assert "Question 1: **1** of 1 answered" in texts(teacher)
    assert ui_cm.store().counts(code, teacher.query_params["key"]).counts == {"smooth": 0, "zigzag": 1, "wild": 0}


def test_the_share_right_never_rounds_to_all_or_none(data_dir):
    """199 of 200 right read '(100 %)', as if nobody had been wrong."""
    teacher, code, token = start_class(data_dir)
    ok(teacher.button(key="cm_ask").click().run())
    s = ui_cm.store()
    stored = s.state(code).question
    right = cq.reveal(cq.from_store(stored)).verdict.answer
    wrong = next(c for c in stored.choices if c != right)
    for i in range(200):
        s.answer(code, s.join(code).student_id, 1, wrong if i == 0 else right)
    ok(teacher.button(key="cm_reveal").click().run())
    assert "**199 of 200** answered right (99 %)." in texts(teacher)
    assert [ui_cm.percent(*p) for p in [(1, 300), (0, 3), (3, 3), (1, 3), (1, 8)]] == ["1 %", "0 %", "100 %", "33 %",
                                                                                    "12 %"]


def test_the_projectors_bars_are_labelled_by_the_question_they_count(data_dir, monkeypatch):
    """The teacher asks the next question from their phone just after the projector read the counts: the bars of
    question 1's counts were labelled with question 2's choices (a second read of the class found it)."""
    teacher, code, token = start_class(data_dir)
    ok(teacher.button(key="cm_ask").click().run())
    ok(teacher.toggle(key="cm_live_bars").set_value(True).run())      # the bars while answers are open
    s = ui_cm.store()
    real_counts = type(s).counts

    def counts_then_the_phone_asks(self, *args, **kwargs):
        tally = real_counts(self, *args, **kwargs)
        if tally.question_no == 1:
            real_ask(self, code, token, cq.to_store(cq.losses_choice()))
        return tally

    real_ask = type(s).ask
    monkeypatch.setattr(type(s), "counts", counts_then_the_phone_asks)
    ok(teacher.run())
    assert bar_labels(teacher) == [c.label for c in cq.basin_choice(alpha="oscillating").choices]
    assert "Question 1: **0** of 0 answered" in texts(teacher)


def test_the_teachers_link_after_the_class_expired_on_redis_says_it_ended(data_dir, monkeypatch):
    """With Redis, a class's keys (its teacher token's hash too) go by themselves at its end: the teacher's own link
    then read 'This link is not the teacher's link of class …', as if it were forged."""
    import time

    from deploy.local_redis import find_redis_server, start_redis
    from serve import stop
    program = find_redis_server()
    if program is None:
        pytest.skip("redis-server not found")
    pytest.importorskip("redis")
    from classmode.redis_store import RedisStore
    process, url = start_redis(program, data_dir)
    try:
        monkeypatch.setattr(ui_cm, "open_store", lambda: RedisStore(url, lifetime_s=1))
        ui_cm.store.clear()
        _, code, token = start_class(data_dir)
        time.sleep(1.2)
        again = ok(session(teacher="1", **{"class": code, "key": token}))
        assert errors(again) == [f"Class {model.display_code(code)} has ended: start a new class below."]
    finally:
        stop(process)


def test_after_leave_or_a_student_link_the_class_does_not_know_the_code_box_holds_the_class(data_dir):
    """After Leave the code box held what had been typed ('n4gj6uz2'), and a link with a student id the class does
    not know (another class's) opened the join form with the box empty: both now hold the class's code as the
    projector shows it, so joining again is one click."""
    _, code, _ = start_class(data_dir)
    shown = f"{code[:4]}-{code[4:]}"
    student = join(code.lower())
    ok(student.button(key="cm_leave").click().run())
    assert student.text_input(key="cm_code").value == shown
    stranger = ok(session(**{"class": code, "student": "s" * 22}))
    assert errors(stranger) and stranger.text_input(key="cm_code").value == shown
    ok(stranger.button(key="cm_join").click().run())
    assert stranger.query_params["class"] == code and stranger.query_params["student"] != "s" * 22


def _charts(at) -> dict:
    """{title or first trace's name: spec} of the page's plotly charts."""
    import json
    out = {}
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        title = (spec["layout"].get("title") or {}).get("text") or spec["data"][0].get("name", "")
        out[title] = spec
    return out


def test_the_reveal_shows_the_balls_path_seen_from_above(data_dir):
    """The reveal of "It zigzags" showed J against the step alone, which drops smoothly: nobody could see the
    zigzag. The teacher's projector and each student's page now show the run's path on the top view of the basin,
    whole and zoomed in near the bottom, with the run's own steps."""
    teacher, code, _ = start_class(data_dir)
    alice = join(code)
    ok(teacher.button(key="cm_ask").click().run())
    ok(alice.run())
    ok(alice.radio(key=f"cm_answer_{code}_1").set_value("zigzag").run())
    ok(teacher.run())
    assert not [t for t in _charts(teacher) if "steps" in t]                # nothing given away before the reveal
    ok(teacher.button(key="cm_reveal").click().run())
    ok(alice.run())
    whole_title, zoom_title = (m.title for m in cq.reveal(cq.basin_choice(alpha="oscillating")).maps)
    assert zoom_title == "Zoomed in: steps 4–60"                          # the steps where the zigzag is
    for at in (teacher, alice):
        charts = _charts(at)
        for title in (whole_title, zoom_title):
            assert charts[title]["data"][0]["type"] == "contour"
            assert any(tr.get("name") == "the ball's path" for tr in charts[title]["data"])
        assert "The white dot is the start" in texts(at) and "zooms in on its last steps" in texts(at)


def test_the_reveal_of_a_losses_question_shows_both_paths_on_the_pages_maps(data_dir):
    teacher, code, _ = start_class(data_dir)
    ok(teacher.radio(key="cm_q_page").set_value("losses").run())
    ok(teacher.button(key="cm_ask").click().run())
    ok(teacher.button(key="cm_reveal").click().run())
    paths = [tr for spec in _charts(teacher).values() for tr in spec["data"]
             if isinstance(tr.get("meta"), dict) and tr["meta"].get("role") == "path"]
    assert len(paths) == 2 and "× marks are the plateau" in texts(teacher)
