"""Class mode's screens: the teacher's projector view, the student's view and the join form.

Who is who lives in the page's link, so a reload keeps it, and in st.session_state, so a visit to another page
and back keeps it too (Streamlit drops a page's query parameters when the student switches pages):

    ?teacher=1&class=CODE&key=TOKEN   the teacher (the token only in the teacher's own link, never on screen)
    ?class=CODE                       the join link on the projector: one click to join
    ?class=CODE&student=ID            a student who joined (ID: 128 random bits from the store)

and, for a student, in a cookie until the class ends (COOKIE): a second tab opened on the join link, or the
projector's link opened again after the tab was closed, is the same student, counted once, not a new one whose
earlier answer would still count beside the new.

Live parts are fragments that rerun on a timer (st.fragment(run_every=...)): the projector's tally every
PROJECTOR_REFRESH_S, and on each student's page a cheap watch of the class's phase every STUDENT_REFRESH_S that
reruns the whole page only when the teacher asks, reveals or closes. Everything else reruns on a click only.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time

import streamlit as st

from classmode import model
from classmode.config import open_store
from classmode.model import ClassModeError, display_code
from core.errors import InputError
from core.figures.class_answers import cost_figure, path_figure, tally_figure
from core.lessons import basin, losses
from core.lessons import predict as pr
from core.markup import own_words
from ui import classmode_questions as cq
from ui import losses as losses_page
from ui.charts import chart
from ui.classroom import STATE_KEY, Classroom, share_url
from ui.common import escape_markdown, show_input_error
from ui.registry import PAGES
from ui.settings import query_value, set_query_value

PAGE = "classmode"  # the page's url_path (ui/registry.py)
SESSION = "classmode_who"  # session_state: {"code", "student", "token"}
URL_CODE, URL_STUDENT, URL_TOKEN = "class", "student", "key"
PROJECTOR_REFRESH_S = 1.0  # the projector's tally: an answer shows within this plus one rerun
STUDENT_REFRESH_S = 2.0  # a student's page notices a new question or the reveal within this
MESSAGE = "classmode_message"  # session_state: one sentence to show once (a refused answer, a closed class)
LIVE_BARS = "cm_live_bars"  # session_state: the teacher shows the bars while answers are still open
COOKIE = "basin_class_student"  # this browser's place in a class, "CODE.ID", kept until the class ends
_COOKIE_VALUE = re.compile(r"([A-Z2-9]{8})\.([A-Za-z0-9_-]{22})")

try:  # redis-py is installed only where BASIN_REDIS_URL is used (requirements-deploy.txt)
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - the image and the app's own requirements have no redis-py
    class RedisError(Exception):
        pass

STORE_DOWN = (OSError, sqlite3.Error, RedisError)
DOWN_SENTENCE = "Class mode cannot reach the classes' store on this server right now: try again in a moment."


# ---------------------------------------------------------------- the store and the questions (cached)

@st.cache_resource(show_spinner=False)
def store():
    """The one store of this server process (classmode.config.open_store), shared by every session."""
    return open_store()


@st.cache_resource(max_entries=64, show_spinner=False)
def lesson_question(kind: str, settings_json: str, choices: tuple) -> pr.Question:
    """The lesson question a stored class question stands for (rebuilt by core, shared read-only)."""
    return cq.from_store(model.Question(kind, json.loads(settings_json), choices))


@st.cache_resource(max_entries=32, show_spinner="Running the experiment…")
def reveal_of(kind: str, settings_json: str, choices: tuple) -> cq.Reveal:
    """The true answer and the runs of a question, computed once per server and shared read-only."""
    return cq.reveal(lesson_question(kind, settings_json, choices))


@st.cache_resource(max_entries=32, show_spinner=False)
def _cost_figure(kind: str, settings_json: str, choices: tuple):
    """The revealed run's cost curve, built once per question for every student of the server."""
    return cost_figure(reveal_of(kind, settings_json, choices).curves)


@st.cache_resource(max_entries=64, show_spinner=False)
def _path_figures(kind: str, settings_json: str, choices: tuple) -> tuple:
    """The ball's path on the top view of the basin (the whole path, then zoomed in where it settles), built once
    per question for every student of the server; () for a question without one."""
    return tuple(path_figure(m.w, m.b, m.J, m.W, m.B, title=m.title, first=m.first, minimum=m.minimum)
                 for m in reveal_of(kind, settings_json, choices).maps)


def _losses_map(settings_json: str):
    """The Squared error vs log-loss page's own two maps for the question's experiment (ui.losses.figures, cached
    there): both balls' paths, the plateau's × marks and the lowest points; the one that gets stuck stays on them."""
    p, _ = losses.LossesParams.parse(json.loads(settings_json))
    trap = losses_page.trap(p.dataset, p.seed) if p.preset == "trap" else None
    w0, b0, alpha, steps = losses.start_of(p, trap)
    return losses_page.figures(p.dataset, p.seed, p.cost, w0, b0, alpha, steps)[0]


@st.cache_data(max_entries=64, show_spinner=False)
def picker_rates(dataset: str, neuron: str, steps: int) -> dict:
    """The teacher's learning rates by number on these data (classmode_questions.picker_rates, a run's worth of
    work: once per data set, neuron and steps for the whole server)."""
    return cq.picker_rates(dataset, neuron, steps)


@st.cache_resource(max_entries=64, show_spinner=False)
def _description(kind: str, settings_json: str, choices: tuple) -> str:
    """The question's settings in a few words (its α as a number: a run's worth of work), once per server."""
    return cq.describe(lesson_question(kind, settings_json, choices))


def describe(q: pr.Question) -> str:
    stored = cq.to_store(q)
    return _description(stored.question_id, stored.settings_json(), tuple(stored.choices))


def _lesson(stored: model.Question) -> pr.Question:
    return lesson_question(stored.question_id, stored.settings_json(), tuple(stored.choices))


def _reveal(stored: model.Question) -> cq.Reveal:
    return reveal_of(stored.question_id, stored.settings_json(), tuple(stored.choices))


# ---------------------------------------------------------------- who is this session?

def _who() -> dict:
    """The class, student id and teacher token of this session: the link's, else the ones kept in the session."""
    kept = st.session_state.get(SESSION) or {}
    who = {"code": kept.get("code"), "student": kept.get("student"), "token": kept.get("token")}
    link_code = query_value(URL_CODE)
    if link_code is not None and link_code != who["code"]:
        who = {"code": link_code, "student": None, "token": None}  # a link to another class: start afresh
    for name, url in (("student", URL_STUDENT), ("token", URL_TOKEN)):
        value = query_value(url)
        if value is not None:
            who[name] = value
    if not (who["student"] or who["token"] or _flags().teacher):
        who.update(_remembered(who["code"]))
    return who


def _remembered(code: str | None) -> dict:
    """The place this browser's cookie keeps in the class of `code` (in any running class when the link names
    none), if the store still has that student: {"code", "student"}, else {}. A student who left, or whose class
    ended, is not brought back."""
    try:
        found = _COOKIE_VALUE.fullmatch(str(st.context.cookies.get(COOKIE) or ""))
        if found is None or (code is not None and model.parse_code(code) != found.group(1)):
            return {}
        store().student(found.group(1), found.group(2))
    except (ClassModeError, *STORE_DOWN):
        return {}
    return {"code": found.group(1), "student": found.group(2)}


def _remember(code: str, sid: str, expires_at: float) -> None:
    """Keep this student's place in the browser's cookie until the class ends (see the module's docstring)."""
    value = f"{model.parse_code(code)}.{sid}"
    if _COOKIE_VALUE.fullmatch(value) is None or st.context.cookies.get(COOKIE) == value:
        return
    cookie = json.dumps(f"{COOKIE}={value}; path=/; max-age={max(0, int(expires_at - time.time()))}; SameSite=Lax")
    st.html(f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True)


def _keep(who: dict) -> None:
    """Remember who this session is, and put it in the link (a reload then finds it)."""
    st.session_state[SESSION] = who
    set_query_value(URL_CODE, who.get("code"))
    set_query_value(URL_STUDENT, who.get("student"))
    set_query_value(URL_TOKEN, who.get("token"))


def _leave() -> None:
    _keep({"code": None, "student": None, "token": None})


def _student_leaves(code: str, sid: str) -> None:
    """The Leave button: the store forgets the student and their answers to questions not yet revealed (one who
    joins again counts once; a revealed result stays as it was counted). The join form then holds the class's code
    as the projector shows it (it held whatever had been typed)."""
    _with_store(lambda s: s.leave(code, sid))
    _leave()
    st.session_state.cm_code = display_code(model.parse_code(code))


def _say(text: str) -> None:
    st.session_state[MESSAGE] = text


def _show_message() -> None:
    text = st.session_state.pop(MESSAGE, None)
    if text:
        show_input_error(text)


def _flags() -> Classroom:
    return st.session_state.get(STATE_KEY, Classroom())


def join_link(code: str) -> str:
    """The link students open to join (the projector shows it): this page with ?class=CODE, no token."""
    return share_url(PAGE, {URL_CODE: [code]}, st.context.url)


def _ends_in(expires_at: float) -> str:
    left = max(0, int(expires_at - time.time()))
    hours, minutes = divmod(left // 60, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


# ---------------------------------------------------------------- the page

STUDENT_INTRO = ("Your teacher asks what an experiment will do; you predict on your own screen, the projector shows "
                 "the class's answers, then the teacher reveals the run.")
TEACHER_INTRO = ("You ask the class what an experiment will do; each student predicts on their own screen, this "
                 "screen counts the answers as they come in, then you reveal the run and how the class answered.")


def intro() -> str:
    """The page's one-line introduction, said to whoever is looking: the teacher (teacher=1) or a student."""
    return TEACHER_INTRO if _flags().teacher else STUDENT_INTRO


def class_page() -> None:
    """The class page: the teacher's view, a student's view or the join form, from who this session is."""
    who = _who()
    _show_message()
    try:
        if who["code"] and who["token"]:
            _keep(who)
            _teacher(who)
        elif who["code"] and who["student"]:
            _keep(who)
            _student(who)
        else:
            _keep({"code": None, "student": None, "token": None})
            if _flags().teacher:
                _start_form()
            else:
                _join_form(who["code"])
    except ClassModeError as err:
        if who["token"] and isinstance(err, model.ClassEnded):   # the teacher's own link: not "ask your teacher"
            err = f"Class {display_code(model.parse_code(who['code']))} has ended: start a new class below."
        show_input_error(err)
        _keep({"code": None, "student": None, "token": None})
        if _flags().teacher:
            _start_form()
        else:
            _join_form(who["code"])   # the link's code kept in the box (a student link of another class: join)
    except STORE_DOWN:
        show_input_error(DOWN_SENTENCE)


# ---------------------------------------------------------------- starting and joining

def _with_store(action):
    """action(store) for a button's callback; a refusal or a store that is down becomes one sentence (and None)."""
    try:
        return action(store())
    except ClassModeError as err:
        _say(str(err))
    except STORE_DOWN:
        _say(DOWN_SENTENCE)
    return None


def _start() -> None:
    new = _with_store(lambda s: s.create_class())
    if new is not None:
        _keep({"code": new.code, "student": None, "token": new.teacher_token})


def _start_form() -> None:
    st.subheader("Start a class")
    st.write("Your students join with a code or a link that you show on the projector; no account is needed. "
             "You pick a question from the lessons, they predict the answer on their own screens, you see the "
             f"answers come in, then reveal what really happens. A class ends {model.CLASS_LIFETIME_S // 3600} "
             "hours after it starts.")
    st.button("Start a class", type="primary", key="cm_start", on_click=_start)


def _join(typed_code_key: str) -> None:
    student = _with_store(lambda s: s.join(st.session_state.get(typed_code_key, ""),
                                           st.session_state.get("cm_nickname")))
    if student is not None:
        _keep({"code": student.code, "student": student.student_id, "token": None})


def _join_form(code: str | None) -> None:
    st.subheader("Join your class")
    if code is not None and "cm_code" not in st.session_state:
        try:   # as the projector shows it (ABCD-EFGH); a link's code that cannot be one stays as it came
            st.session_state.cm_code = display_code(model.parse_code(code))
        except model.BadCode:
            st.session_state.cm_code = str(code)[:40]
    left, right = st.columns(2)
    left.text_input("Class code (on the projector)", key="cm_code", max_chars=40, placeholder="ABCD-EFGH")
    right.text_input("Nickname (optional)", key="cm_nickname", max_chars=model.NICKNAME_MAX,
                     help=f"At most {model.NICKNAME_MAX} characters. Only you see it.")
    st.button("Join the class", type="primary", key="cm_join", on_click=_join, args=("cm_code",))
    st.caption("No account and no name needed. Teachers: [open this page as a teacher](classmode?teacher=1) to "
               "start a class; the [For teachers](teachers) page says how a class runs.")


# ---------------------------------------------------------------- the teacher

CODE_CQI = 16  # the class code's largest size, in hundredths of its column's width: 9 monospace characters and their
# spacing are 5.9 em wide, whatever the letters


def _teacher(who: dict) -> None:
    code, token = who["code"], who["token"]
    s = store()
    state = s.state(code)   # first: an ended class "has ended" even where its teacher token is gone with it (Redis)
    if not s.is_teacher(code, token):
        raise model.NotTeacher(f"This link is not the teacher's link of class {display_code(model.parse_code(code))}.")
    top_left, top_right = st.columns([3, 2], vertical_alignment="center")
    with top_left:   # the code's size follows its column (cqi), so that it fits on any projector
        look = (f"font-size:min(3.6rem,{CODE_CQI}cqi);font-weight:700;font-family:'Source Code Pro',monospace;"
                "letter-spacing:0.06em;line-height:1.1;white-space:nowrap")
        st.html(f'<div style="container-type:inline-size"><div style="font-size:1.2rem">Class code</div>'
                f'<div data-testid="cm-code" style="{look}">{display_code(state.code)}</div></div>')
    with top_right:
        st.markdown("**Join at this link, or open the Class mode page and type the code:**")
        st.code(join_link(state.code), language=None, wrap_lines=True)
        st.caption(f"The class ends in {_ends_in(state.expires_at)}.")
    if state.question is not None:
        q = _lesson(state.question)
        st.markdown(f"### {escape_markdown(q.prompt)}")
        st.caption(own_words(describe(q)))
    _live(code, token, (state.phase, state.question_no))
    if state.phase == "revealed":
        _verdict_block(state.question)
    _teacher_controls(state, code, token)
    with st.expander("Your teacher link (keep it to yourself)"):
        st.caption("It opens this class's teacher view on another device. Anyone with it can ask, reveal and close: "
                   "do not show it on the projector.")
        st.code(share_url(PAGE, {"teacher": ["1"], URL_CODE: [code], URL_TOKEN: [token]}, st.context.url),
                language=None, wrap_lines=True)


@st.fragment(run_every=PROJECTOR_REFRESH_S)
def _live(code: str, token: str, seen: tuple) -> None:
    """The projector's live part: students joined, answers in, and the bars (the teacher sees them before the
    reveal; nobody else does). seen: the (phase, question number) the rest of the page shows; when the teacher
    asks or reveals from another device (their teacher link on a phone), the whole page follows."""
    try:
        tally = store().counts(code, token)
    except ClassModeError:
        st.rerun(scope="app")   # the class ended or was closed: the whole page says so
    except STORE_DOWN:
        st.caption(DOWN_SENTENCE)
        return
    if (tally.phase, tally.question_no) != seen:
        st.rerun(scope="app")
    if tally.question_no == 0:
        st.markdown(f"### {tally.students} student{'s' if tally.students != 1 else ''} joined")
        return
    # the bars' words from the question the counts were read with (a second read of the class could already
    # find the next question, asked from the teacher's phone, with other choices)
    q = _lesson(tally.question)
    st.markdown(f"### Question {tally.question_no}: **{tally.answered}** of {tally.students} answered"
                + (" (revealed)" if tally.phase == "revealed" else ""))
    if tally.phase != "revealed" and not st.session_state.get(LIVE_BARS):
        # the projector is the room's screen: bars shown while answers are open let students answer with the crowd
        st.caption("The bars appear when you reveal the answer, so that each student answers on their own.")
        return
    right = None
    if tally.phase == "revealed":
        right = list(tally.question.choices).index(_reveal(tally.question).verdict.answer)
    chart(tally_figure([q.label(k) for k in tally.question.choices], list(tally.counts.values()), right),
          alt="Answers so far: " + ", ".join(f"{q.label(k)}: {n}" for k, n in tally.counts.items()),
          config={"displayModeBar": False, "staticPlot": True}, key="cm_tally")
    if right is not None and tally.answered:
        n_right = list(tally.counts.values())[right]
        st.markdown(f"**{n_right} of {tally.answered}** answered right ({percent(n_right, tally.answered)}).")


def percent(part: int, whole: int) -> str:
    """part of whole as a whole percentage, "100 %" only when all and "0 %" only when none: 199 of 200 is
    "99 %" (rounded it read "100 %", as if nobody was wrong) and 1 of 300 is "1 %"."""
    share = round(100 * part / whole)
    if 0 < part < whole:
        share = min(max(share, 1), 99)
    return f"{share} %"


def _teacher_controls(state: model.ClassState, code: str, token: str) -> None:
    if state.phase == "asking":
        left, right = st.columns([1, 3])
        left.button("Reveal the answer", type="primary", key="cm_reveal", on_click=_act, args=("reveal", code, token))
        right.caption("Students can change their answer until you reveal it.")
        right.toggle("Show the bars before the reveal", key=LIVE_BARS,
                     help="The room sees them too: students who have not answered yet may follow the crowd.")
    title = {"waiting": "Ask the first question", "asking": "Ask another question instead",
             "revealed": "Next question"}[state.phase]
    with st.expander(title, expanded=state.phase != "asking"):
        q = _question_picker()
        if q is not None:
            st.button("Ask the class", type="primary", key="cm_ask", on_click=_act, args=("ask", code, token, q))
    st.button("Close the class", key="cm_close", on_click=_act, args=("close", code, token),
              help="Students can no longer answer; the class's answers are deleted when it ends.")


def _act(action: str, code: str, token: str, q: pr.Question | None = None) -> None:
    _with_store(lambda s: _teacher_action(s, action, code, token, q))


def _teacher_action(s, action: str, code: str, token: str, q: pr.Question | None) -> None:
    if action == "ask":
        stored = cq.to_store(q)
        s.ask(code, token, stored)
        _reveal(stored)   # run the experiment now, while the class thinks: the reveal is then instant
    elif action == "reveal":
        s.reveal(code, token)
    elif action == "close":
        s.close(code, token)
        _leave()
        _say(f"Class {display_code(code)} is closed. Start another one when you need it.")


def _question_picker() -> pr.Question | None:
    """The teacher's choice of question: a page, then its main settings, or any experiment's link."""
    pages = {"basin": "Cost basin: will the ball roll, zigzag or fly off?",
             "losses": "Squared error vs log-loss: which cost gets stuck?",
             "link": "The experiment of a link (paste a page's “link to this experiment”)"}
    which = st.radio("Question", list(pages), format_func=pages.get, key="cm_q_page", horizontal=False)
    try:
        if which == "basin":
            c1, c2, c3, c4 = st.columns([1.2, 1.1, 1.3, 0.8])   # room for "16.1 = 1.95/λₘₐₓ"
            dataset = c1.selectbox("Data", list(basin.ONE_FEATURE_SETS), format_func=basin.ONE_FEATURE_SETS.get,
                                   key="cm_q_dataset")
            neuron = c2.selectbox("Neuron", list(basin.NEURONS), key="cm_q_neuron",
                                  format_func=lambda n: "logistic, log-loss" if n == "logistic" else
                                  "linear, squared error")
            steps = c4.number_input("Steps", 10, 150, 60, step=10, key="cm_q_steps")
            # the rates by their numbers on these data, not their names ("oscillating" is the answer): the picker
            # is on the projector too
            rates = picker_rates(dataset, neuron, int(steps))
            if st.session_state.get("cm_q_alpha") not in rates:
                st.session_state.cm_q_alpha = "oscillating"
            alpha = c3.selectbox("Learning rate α", list(rates), key="cm_q_alpha", format_func=rates.get)
            q = cq.basin_choice(dataset, neuron, alpha, int(steps))
        elif which == "losses":
            c1, c2, c3 = st.columns(3)
            dataset = c1.selectbox("Data", list(losses.ONE_FEATURE_SETS), format_func=losses.ONE_FEATURE_SETS.get,
                                   key="cm_q_ldataset")
            cost = c2.selectbox("Rival cost", list(losses.RIVALS), format_func=lambda c: losses.RIVALS[c][2],
                                key="cm_q_cost")
            preset = c3.selectbox("Start", ["trap", "zeros"], key="cm_q_preset",
                                  format_func=lambda p: "a start found from the data" if p == "trap"
                                  else "w = b = 0")   # not "the trap": the room reads the picker
            q = cq.losses_choice(dataset, cost, preset)
        else:
            link = st.text_input("Link to an experiment", key="cm_q_link", max_chars=2000,
                                 placeholder="http://…/basin?alpha=oscillating&dataset=iris")
            if not link.strip():
                st.caption("Open the Cost basin or Squared error vs log-loss page, set it up, and copy the link "
                           "from the sidebar's “Link to this experiment”.")
                return None
            q = cq.from_link(link)
            if cq.left_out(link):
                st.caption(cq.left_out(link))
    except InputError as err:
        show_input_error(err)
        return None
    st.markdown(f"**The students will read:** {escape_markdown(q.prompt)}")
    st.caption(own_words(describe(q)) + " · choices: "
               + "; ".join(escape_markdown(c.label) for c in q.choices))
    return q


# ---------------------------------------------------------------- the student

def _student(who: dict) -> None:
    code, sid = who["code"], who["student"]
    s = store()
    student = s.student(code, sid)
    state = s.state(code)
    _remember(code, sid, state.expires_at)
    head = f"Class {display_code(state.code)}" + (f" · you joined as {escape_markdown(student.nickname)}"
                                                  if student.nickname else "")
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(f"**{head}**")
    right.button("Leave", key="cm_leave", on_click=_student_leaves, args=(code, sid),
                 help="Leave this class (to join another one).")
    _watch(code, (state.phase, state.question_no))
    if state.phase == "waiting":
        st.info("You are in. The question appears here as soon as your teacher asks it; this page updates "
                "by itself.", icon=":material/hourglass_top:")
        return
    if state.phase == "asking":
        _answer_box(code, sid, state.question_no)
        return
    q = _lesson(state.question)
    mine = _question_and_radio(s, state, code, sid)
    if mine is None:
        st.caption("You did not answer this one.")
    elif _reveal(state.question).verdict.is_right(mine):
        st.success(f"**Right.** You said: {escape_markdown(q.label(mine))}.", icon=":material/check_circle:")
    else:
        st.error(f"**Not this time.** You said: {escape_markdown(q.label(mine))}.", icon=":material/cancel:")
    _verdict_block(state.question)
    try:
        tally = s.counts(code)
    except ClassModeError:
        return
    st.markdown(f"**How the class answered** ({tally.answered} of {tally.students}):")
    keys = [c.key for c in q.choices]
    right = keys.index(_reveal(state.question).verdict.answer)
    chart(tally_figure([q.label(k) for k in keys], list(tally.counts.values()), right),
          alt="The class's answers: " + ", ".join(f"{q.label(k)}: {n}" for k, n in tally.counts.items()),
          config={"displayModeBar": False, "staticPlot": True}, key="cm_student_tally")


def _question_and_radio(s, state: model.ClassState, code: str, sid: str) -> str | None:
    """The question and the radio of its choices (answering while the class is asking); returns the answer."""
    q = _lesson(state.question)
    st.markdown(f"### {escape_markdown(q.prompt)}")
    st.caption(own_words(describe(q)))
    mine = s.answer_of(code, sid)
    key = f"cm_answer_{state.code}_{state.question_no}"
    if key not in st.session_state or st.session_state[key] != mine and mine is not None:
        st.session_state[key] = mine
    st.radio("Your prediction", [c.key for c in q.choices], key=key, index=None, disabled=state.phase != "asking",
             format_func=lambda k, q=q: escape_markdown(q.label(k)),
             on_change=_send, args=(code, sid, state.question_no, key))
    return mine


@st.fragment
def _answer_box(code: str, sid: str, question_no: int) -> None:
    """The question while the class answers: a fragment, so an answer reruns only this box, not the page."""
    s = store()
    try:
        state = s.state(code)
    except ClassModeError:
        st.rerun(scope="app")
    if state.phase != "asking" or state.question_no != question_no:
        st.rerun(scope="app")   # the page shows a refused answer's sentence then (an answer just after the reveal)
    _show_message()   # a refused answer's sentence (the callback ran just before this rerun)
    mine = _question_and_radio(s, state, code, sid)
    q = _lesson(state.question)
    if mine is None:
        st.caption(f"Pick one. You can change your mind until your teacher reveals the answer "
                   f"({model.MAX_SUBMISSIONS} answers at most).")
    elif st.session_state.get(f"cm_limit_{state.code}_{question_no}"):
        st.success(f"Your answer is in: {escape_markdown(q.label(mine))}. It stays until the reveal.",
                   icon=":material/how_to_vote:")
    else:
        st.success(f"Your answer is in: {escape_markdown(q.label(mine))}. You can still change it until the "
                   "reveal.", icon=":material/how_to_vote:")


def _send(code: str, sid: str, question_no: int, key: str) -> None:
    choice = st.session_state.get(key)
    if choice is None:
        return
    s = store()
    try:
        s.answer(code, sid, question_no, choice)
    except ClassModeError as err:
        _say(str(err))
        if isinstance(err, model.AnswerLimit):
            st.session_state[f"cm_limit_{model.parse_code(code)}_{question_no}"] = True
        try:
            st.session_state[key] = s.answer_of(code, sid)
        except ClassModeError:
            pass
    except STORE_DOWN:
        _say(DOWN_SENTENCE)


@st.fragment(run_every=STUDENT_REFRESH_S)
def _watch(code: str, seen: tuple) -> None:
    """A student's page listens for the teacher: when the phase or the question changes, the whole page reruns.
    Otherwise this draws nothing and costs one read of the store."""
    try:
        state = store().state(code)
    except ClassModeError:
        st.rerun(scope="app")
    except STORE_DOWN:
        return
    if (state.phase, state.question_no) != seen:
        st.rerun(scope="app")


# ---------------------------------------------------------------- the reveal, for both

def _verdict_block(stored: model.Question) -> None:
    """What happened and why, with the run's cost curve and a link to the experiment on its page."""
    q = _lesson(stored)
    r = _reveal(stored)
    st.markdown(f"**The answer: {escape_markdown(q.label(r.verdict.answer))}.** {own_words(r.verdict.headline)}")
    st.latex(r.verdict.latex)
    st.caption(own_words(r.verdict.because))
    maps = _path_figures(stored.question_id, stored.settings_json(), tuple(stored.choices))
    if maps:   # the picture that shows the answer: the ball rolling in, zigzagging across the valley, flying off
        for i, (where, fig) in enumerate(zip(st.columns(len(maps)), maps, strict=True)):
            chart(fig, where=where, key=f"cm_path_{i}", config={"displayModeBar": False},
                  alt=f"{fig.layout.title.text}: the ball's path over the contours of the cost J(w, b)")
        zoom = "; the second map zooms in on its last steps" if len(maps) > 1 else ""
        st.caption(f"The ball's path seen from above, as on the Cost basin page (the darker, the lower J){zoom}. "
                   "The white dot is the start, the star the bottom, the numbers the steps, and the orange ball is "
                   "where the run ends.")
    elif stored.question_id == "losses.stuck":
        chart(_losses_map(stored.settings_json()), key="cm_losses_map", config={"displayModeBar": False},
              alt="Both costs seen from above, with each ball's path from the same start")
        st.caption("Seen from above, as on the Squared error vs log-loss page: each ball's path from the white "
                   "square; the × marks are the plateau, where the slope is almost flat, and the star the bottom.")
    chart(_cost_figure(stored.question_id, stored.settings_json(), tuple(stored.choices)),
          alt="The cost J at each step of the run: " + ", ".join(c[0] for c in r.curves),
          config={"displayModeBar": False}, key="cm_cost")
    info = next(p for p in PAGES if p.url_path == q.page)
    st.page_link(info.file, label=f"Open this experiment on the {info.title} page", icon=info.material_icon,
                 query_params=pr.experiment_query(q))
