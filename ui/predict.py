"""Predict, then check: the question box each page shows, and the session's score.

The student commits before the page changes: they pick the next experiment inside the box (a learning rate
on the Cost basin, a start point on Squared error vs log-loss, a photo on Classify), say what will happen,
and only then does "Check" apply it. So nothing on the page gives the answer away beforehand, and the page's
own controls stay free for exploring. The right answer comes from core.lessons.predict, computed from the run the page
then shows. Teachers turn the boxes off with ?predict=0 (ui/classroom.py, docs/CLASSROOM.md).

Session state: SCORE = {"asked": n, "right": k}; one entry per page (STATE + page) with the question asked,
the choice and whether it has been scored.
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import streamlit as st

from core.lessons import predict as pr
from core.lessons.basin import preset_rate_text
from core.markup import notation, own_words
from ui.classroom import STATE_KEY, Classroom
from ui.common import escape_markdown

SCORE = "predict_score"
HAPPENED = {"classify.photo": "The neuron said"}   # how a wrong answer's box names the true one
STATE = "predict_"      # + page: {"id": question id, "choice": key, "scored": bool, "right": bool}


def enabled(*controls) -> bool:
    """False when the teacher's link says predict=0, or hides one of these controls: a box that changes a
    setting the teacher fixed (hide=alpha) would undo the teacher's choice."""
    flags = st.session_state.get(STATE_KEY, Classroom())
    return flags.predict and not set(controls) & set(flags.hide)


def score_line() -> str:
    s = st.session_state.get(SCORE, {"asked": 0, "right": 0})
    if not s["asked"]:
        return "Your score this session: no predictions checked yet."
    return f"Your score this session: {s['right']} right out of {s['asked']}."


def _score(entry, verdict) -> None:
    """Count a checked prediction once."""
    if entry.get("scored") or entry.get("choice") is None:
        return
    entry["right"] = verdict.is_right(entry["choice"])
    entry["scored"] = True
    s = st.session_state.setdefault(SCORE, {"asked": 0, "right": 0})
    s["asked"] += 1
    s["right"] += int(entry["right"])


def _reveal(q: pr.Question, entry, verdict, checked_on="") -> None:
    """The answer box: right or not, what happened, the deciding number, why, and the score. checked_on: a
    sentence after the headline naming what the answer was computed on (the photo's neuron and crop)."""
    _score(entry, verdict)
    said = escape_markdown(q.label(entry["choice"]))
    if entry.get("right"):
        st.success(f"**Right.** You said: {said}.", icon=":material/check_circle:")
    else:
        st.error(f"**Not this time.** You said: {said}. {HAPPENED.get(q.kind, 'What happened')}: "
                 f"{escape_markdown(q.label(verdict.answer))}.", icon=":material/cancel:")
    st.markdown(own_words(f"{verdict.headline} {checked_on}".strip()))
    st.latex(verdict.latex)
    st.caption(own_words(verdict.because))


def _choices(q: pr.Question, key: str, label="Your prediction"):
    """The radio of choices, nothing chosen at first; returns the chosen key or None."""
    return st.radio(label, [c.key for c in q.choices], index=None, key=key,
                    format_func=lambda k, q=q: escape_markdown(q.label(k)))


def _new_question(page: str) -> None:
    st.session_state.pop(STATE + page, None)


# ---------------------------------------------------------------- Cost basin

def basin_box(p, runs, curv, order) -> None:
    """The Cost basin's box. p: BasinParams shown now; runs, curv: the page's runs and curvature; order: the
    learning-rate tokens from smallest to largest."""
    if not enabled("alpha"):
        return
    rates = curv.rates()
    with st.container(border=True, key="predict_basin"):
        st.markdown("**Predict, then check**")
        if p.race:
            st.caption("Questions are asked with one ball: turn the race off to get one.")
            return
        entry = st.session_state.get(STATE + "basin")
        q = pr.basin_question(p)
        if entry and entry["id"] == q.id:                   # the question asked is the run shown now
            t = runs.trajectories[runs.index(p.alpha)]
            _reveal(q, entry, pr.basin_verdict(t, rates[p.alpha], curv, p.loss))
            st.button("Ask me another", key="predict_basin_next", on_click=_new_question, args=("basin",))
        else:
            others = [t for t in order if t != p.alpha]
            st.caption(notation(f"Here λ_max = {curv.lam_max:.3g}, so 1/λ_max = {1 / curv.lam_max:.3g} and "
                                f"2/λ_max = {curv.critical:.3g}. Pick a learning rate to try next and say what the "
                                "ball will do before you see it."))
            left, right = st.columns([2, 3])
            shown = [(t, preset_rate_text(rates[t])) for t in others]   # 1.004 is not shown as "1", a notch away
            if st.session_state.get("predict_basin_alpha") not in others:
                st.session_state.predict_basin_alpha = _default_next(others, rates, curv)
            elif st.session_state.get("predict_basin_alpha_options") != shown:
                # new data reorder and relabel the options, and the browser cannot find its rate among them (it
                # showed the first, 0.0001): setting the value again moves the thumb (as the page's own α slider)
                st.session_state.predict_basin_alpha = st.session_state.predict_basin_alpha
            token = left.select_slider("Next α to try", others, key="predict_basin_alpha",
                                       format_func=lambda t, r=rates: preset_rate_text(r[t]))
            st.session_state.predict_basin_alpha_options = shown
            with right:
                choice = _choices(q, "predict_basin_choice", escape_markdown(q.prompt))
            st.button("Check my prediction", type="primary", key="predict_basin_check", disabled=choice is None,
                      on_click=_check_basin, args=(p, token, choice))
        st.caption(score_line())


def _default_next(others, rates, curv):
    """The first named rate not shown now (oscillating, then too large, then smooth): the telling ones."""
    return next((t for t in ("oscillating", "too-large", "smooth") if t in others), others[len(others) // 2])


def _check_basin(p, token, choice) -> None:
    """Apply the learning rate the student predicted for, and remember the question (before the page runs)."""
    asked = pr.basin_question(dataclasses.replace(p, alpha=token))
    st.session_state.alpha = token
    st.session_state[STATE + "basin"] = {"id": asked.id, "choice": choice, "scored": False}
    st.session_state.pop("predict_basin_choice", None)


# ---------------------------------------------------------------- Squared error vs log-loss

def losses_box(p, run_l, run_r, x) -> None:
    """The comparison page's box. p: LossesParams shown now (w0, b0 the start used); run_l, run_r: its runs."""
    if not enabled("preset", "w0", "b0"):
        return
    with st.container(border=True, key="predict_losses"):
        st.markdown("**Predict, then check**")
        entry = st.session_state.get(STATE + "losses")
        q = pr.losses_question(p)
        if entry and entry["id"] == q.id:
            _reveal(q, entry, pr.losses_verdict(run_l, run_r, p.w0, p.b0, x, p.cost))
            st.button("Ask me another", key="predict_losses_next", on_click=_new_question, args=("losses",))
        else:
            st.caption(f"Pick a start point (w₀, b₀) for both balls (α = {p.alpha:g}, {p.steps} steps). Look at the "
                       "maps above for the tinted and × regions, then say which cost will get stuck there.")
            c1, c2, c3 = st.columns([1, 1, 2])
            st.session_state.setdefault("predict_losses_w0", _other_start(p.w0))
            st.session_state.setdefault("predict_losses_b0", _other_start(p.b0))
            w0 = c1.slider("Next start w₀", -8.0, 8.0, step=0.5, key="predict_losses_w0")
            b0 = c2.slider("Next start b₀", -8.0, 8.0, step=0.5, key="predict_losses_b0")
            with c3:
                choice = _choices(q, "predict_losses_choice")
            st.button("Check my prediction", type="primary", key="predict_losses_check", disabled=choice is None,
                      on_click=_check_losses, args=(p, w0, b0, choice))
        st.caption(score_line())


def _other_start(v):
    """A start value away from the current one, on the box's 0.5 grid."""
    return float(np.clip(round(-v * 2) / 2 if abs(v) >= 1 else 4.0, -8.0, 8.0))


def _check_losses(p, w0, b0, choice) -> None:
    """Apply the start point the student predicted for, and remember the question (before the page runs)."""
    asked = pr.losses_question(dataclasses.replace(p, preset="custom", w0=float(w0), b0=float(b0)))
    st.session_state.update(preset="custom", w0=float(w0), b0=float(b0))
    st.session_state[STATE + "losses"] = {"id": asked.id, "choice": choice, "scored": False}
    for key in ("predict_losses_choice", "predict_losses_w0", "predict_losses_b0"):
        st.session_state.pop(key, None)


# ---------------------------------------------------------------- Classify

def photo_box(class_names, unsure=False) -> None:
    """Before the photo: will the neuron call it class 1 or class 0 (or, unsure=True, be unsure)? (Shown above the
    upload.)"""
    if not enabled():
        return
    q = pr.photo_question(class_names, unsure)
    entry = st.session_state.setdefault(STATE + "classify", {"id": None, "choice": None, "photo": None, "seen": []})
    with st.container(border=True, key="predict_classify"):
        st.markdown("**Predict, then check**")
        if entry["photo"] is None:
            entry["choice"] = _choices(q, "predict_classify_choice", escape_markdown(q.prompt))
            entry["id"] = q.id
            st.caption(score_line())
        else:   # in the words of the question it answered, whichever neuron is chosen now
            said = entry.get("said") or q.label(entry["choice"])
            st.caption(f"You predicted: {escape_markdown(said)}. The answer is under your photo.")


# What a photo's answer depends on, in the words of the line that says it changed after the check (see photo_checked).
CHANGED = {"neuron": "changed the neuron", "crop": "moved or zoomed the crop", "invert": "changed the inversion"}


def photo_checked(probability, class_names, im, threshold=0.5, unsure=None, at_least=False,
                  score="its output a = σ(wᵀx + b)", says_unsure=False, symbol="a", *,
                  neuron="the neuron", on="", setup=None) -> None:
    """After the photo is classified: score the prediction made before it (once per photo) and explain.
    threshold, unsure, at_least, score, says_unsure, symbol: the neuron's own (core.lessons.predict.photo_verdict);
    says_unsure as given to photo_box. neuron: the neuron in words ("the neuron trained on the left tab"); on: what
    it read, in words ("your photo cropped at zoom 1.0 around (0.50, 0.50)"); setup: {"neuron": ..., "crop": ...,
    "invert": ...}, plain values that decide the answer (keys from CHANGED).

    The answer scored is the one shown from then on, with the neuron and the crop it was computed on: a later crop
    or another neuron does not change it (its Right or Not this time stays true), and one line says what the
    neuron says now."""
    entry = st.session_state.get(STATE + "classify")
    if not enabled() or entry is None:
        return
    key, q = _photo_key(im), pr.photo_question(class_names, says_unsure)
    if entry["photo"] not in (None, key):            # a new photo after a checked one: a new question
        _another_photo()
        st.rerun()
    if entry["photo"] is None:
        if _seen(key, setup) in entry["seen"]:
            st.caption("You have seen the neuron's answer for this photo: to check a new prediction, choose it "
                       "in the box above, then upload another photo.")
            return
        if entry["choice"] is None or entry["id"] != q.id:
            entry["seen"].append(_seen(key, setup))
            st.caption("No prediction for this photo: next time, choose one in the box above before uploading.")
            return
        entry.update(photo=key, scored=False, said=q.label(entry["choice"]))
        st.rerun()                                   # the box above now shows the prediction, not the choices
    rule = (threshold, unsure, at_least, score, says_unsure, symbol)
    setup = dict(setup or {})
    if not entry.get("scored") or "verdict" not in entry:    # the first answer for this photo: the one scored
        entry.update(question=q, verdict=pr.photo_verdict(probability, class_names, *rule), setup=setup,
                     checked_on=f"Checked with {neuron}" + (f", on {on}." if on else "."))
    with st.container(border=True, key="predict_classify_answer"):
        _reveal(entry["question"], entry, entry["verdict"], entry["checked_on"])
        changed = _changed(entry["setup"], setup)
        if changed:
            now = pr.photo_verdict(probability, class_names, *rule, who=f"now {neuron}").headline
            st.info(escape_markdown(f"Since the check you {changed}: {now[:-1]} (not scored)."),
                    icon=":material/info:")
        st.caption(score_line())
        st.button("Predict for another photo", key="predict_classify_next", on_click=_another_photo)


def _changed(then, now) -> str:
    """What changed between two setups, in words ("" if nothing did): another neuron is all that is said when the
    neuron changed, since its crop and inversion are its own."""
    if then.get("neuron") != now.get("neuron"):
        return CHANGED["neuron"]
    return " and ".join(words for k, words in CHANGED.items() if k != "neuron" and then.get(k) != now.get(k))


def _seen(photo, setup) -> str:
    """A photo as one neuron answered it (setup["neuron"]): another neuron's answer for it is still unseen (the
    face finder's answer is not your own neuron's)."""
    return f"{photo}|{(setup or {}).get('neuron')!r}"


def _another_photo() -> None:
    """A new question: the photo just checked is remembered as seen by its neuron, so it cannot be scored again."""
    entry = st.session_state[STATE + "classify"]
    if entry["photo"] is not None:
        entry["seen"] = (entry["seen"] + [_seen(entry["photo"], entry.get("setup"))])[-20:]
    entry.update(photo=None, choice=None, scored=False)
    for kept in ("said", "question", "verdict", "setup", "checked_on"):    # the answer of the photo just checked
        entry.pop(kept, None)
    st.session_state.pop("predict_classify_choice", None)


def _photo_key(im) -> str:
    """A short fingerprint of a photo (its size and a 8×8 thumbnail): crop and zoom do not change it."""
    small = im.convert("L").resize((8, 8))
    return f"{im.size}:" + hashlib.blake2b(small.tobytes(), digest_size=8).hexdigest()
