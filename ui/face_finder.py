"""The face finder on the Classify page: scan a photo, show where the neuron looks, crop, compare two neurons.

Streamlit only wires things here; the scan is core.lessons.detector, the training recipe core.lessons.face_training
and the pictures core.figures.faces.
"""

import hashlib
import threading
import time
import weakref

import numpy as np
import streamlit as st

from core.data import images
from core.figures import faces as ff
from core.lessons import classic_detector, detector, face_network, face_training
from ui import predict as predict_ui
from ui.chart_bridge import bridged_chart
from ui.charts import NO_LOGO, chart

LABELS = {"edges": "edges (HOG features)", "pixels": "pixels (x = pixels / 255)"}
CLASS_NAMES = ("not a face", "a face")   # y = 0, y = 1: for the predict-then-check question
VERDICT_WORDS = {"face": "a face", "not a face": "not a face", "unsure": "unsure"}
STORE = "clf_finder"   # session_state: neurons retrained in this session, and the last scans
MAX_ZOOM = 1 / detector.SMALLEST_FRACTION




@st.cache_resource(show_spinner=False)
def bundled():
    """The two neurons trained at build time (read-only, shared by every session)."""
    return face_training.load_bundled()


@st.cache_resource(show_spinner=False)
def face_counts():
    """(training faces, validation faces): the bundled faces as core.lessons.face_training.splits divides them. The
    neuron trains on the first; the second are kept back to choose its threshold."""
    train_faces, _, validation_faces, _, _, _ = face_training.splits()
    return len(train_faces), len(validation_faces)


def trained_faces():
    """How many faces the neuron trained on, in words: the training faces, and the ones kept back."""
    train, validation = face_counts()
    return (f"{train} small faces ({validation} more were kept back to choose its threshold, pasted into photos it "
            "never trained on)")


@st.cache_resource(show_spinner=False)
def average_face():
    face = face_training.mean_face()
    return face, face_training.framing_guide(face)


@st.cache_resource(max_entries=4, show_spinner=False)
def most_face_like_figure(rep, b):
    """The most face-like window of each bundled face-free photo for one neuron, built once per neuron (keyed on
    its representation and bias, plain values): about a second of scanning, shared by every session."""
    neuron = current()[rep].neuron
    found = face_training.most_face_like(neuron)
    items = [(face_training.SCENE_LABELS.get(m.photo, m.photo), m.window, m.a, m.trained_against) for m in found]
    return ff.most_face_like_figure(items, neuron.threshold, fooled_title(rep, found, neuron.threshold),
                                    fooled_title(rep, found, neuron.threshold, narrow=True))


def fooled_title(rep, found, threshold, narrow=False):
    """How many of the photos trained against, and of those kept back, have a window over the threshold; narrow:
    in three short lines, for a phone (two long ones were cut at both sides)."""
    def count(trained):
        group = [m for m in found if m.trained_against == trained]
        return f"{sum(m.a >= threshold for m in group)} of the {len(group)}"
    if narrow:
        return (f"{rep} neuron, threshold {threshold:.2f}:<br>a window over it in {count(True)}<br>photos in "
                f"training, {count(False)} kept back")
    return (f"{rep} neuron, threshold {threshold:.2f}: a window over it in<br>{count(True)} photos in training, "
            f"{count(False)} kept back")


@st.cache_resource(max_entries=4, show_spinner=False)
def weights_figures(edges_b, pixels_b):
    """Both weight pictures, built once per pair of neurons (keyed on their biases, plain floats)."""
    finders = current()
    return ff.hog_weights_figure(finders["edges"].neuron.w), ff.pixel_weights_figure(finders["pixels"].neuron.w)


def store():
    return st.session_state.setdefault(STORE, {"finders": None, "scans": {}})


def current():
    """The neurons in use: retrained in this session if the student did, else the bundled ones."""
    return store()["finders"] or bundled()


_DIGESTS = {}    # id(decoded photo) -> its digest, dropped when the photo is: each upload's pixels are hashed once


def photo_digest(im):
    """A digest of the photo's pixels, computed once per decoded upload (im.tobytes() copies the whole photo: 60 MB
    for 20 megapixels, too much to pay on every zoom move and for every cache that needs a key)."""
    digest = _DIGESTS.get(id(im))
    if digest is None:
        digest = _DIGESTS[id(im)] = hashlib.sha1(im.tobytes()).hexdigest()
        weakref.finalize(im, _DIGESTS.pop, id(im), None)    # (Pillow images compare by value: no weak-key dict)
    return digest


def kept(key, compute, shelf="scans", most=4):
    """compute(), once per key, kept for the session on one shelf of the store: the last `most` results only.

    Shelves: "scans" (scans and detections) and "drawn" (a photo's small copy and the figures of the photo alone,
    which a zoom or centre move leaves as they are: a move rebuilds only the crop's figures)."""
    results = store().setdefault(shelf, {})
    if key not in results:
        while len(results) >= most:
            results.pop(next(iter(results)))
        results[key] = compute()
    return results[key]


DRAWN_MOST = 12   # small copies and figures kept per session: the photo's 3 maps at 2 widths, a copy, the bars


def drawn(key, build):
    """build(), once per key: a small copy or a figure of the photo, kept for the session (the last few only)."""
    return kept(key, build, shelf="drawn", most=DRAWN_MOST)


def small_copy(im):
    """The photo's colour copy, at most 320 pixels a side, for its charts: made once per photo."""
    return drawn(("small", photo_digest(im), im.size), lambda: images.thumbnail(images.to_mode(im, 3), 320))


def scanned(im, neuron):
    """The scan of this photo by this neuron, computed once and kept for the session (the last few only)."""
    key = (photo_digest(im), im.size, neuron.representation, float(neuron.b))
    return key, kept(key, lambda: detector.scan(neuron, im))


def classic_found(im):
    """The classic detector's answer for this photo, computed once and kept for the session (the last few only)."""
    return kept(("classic", photo_digest(im), im.size), lambda: classic_detector.find_faces(im))


def classic_sentence(found, photo_size=None):
    """The classic detector's verdict in words: how many windows agree, and the bars (of both searches when the
    small-face search ran). photo_size: (w, h) as searched, to say when the windows were those of an enlarged
    copy."""
    faces = int(np.sum(found.neighbours >= found.face_at))
    what = (f"{faces} face{'s' if faces != 1 else ''} found; " if faces else "")
    bars = (f"a face from {classic_detector.FACE_AT} windows in a group, unsure from {classic_detector.UNSURE_FROM} "
            "(bars chosen on development photos, before it was measured on others)")
    h, w = found.work_shape
    where = (f" (in a copy of the photo enlarged to {w} × {h} pixels)"
             if photo_size is not None and h > photo_size[1] else "")
    if found.best == 0:
        first = f"No window of the {found.windows:,} it searched{where} passed all {found.stages} stages: {bars}."
    else:
        first = (f"the biggest group has {found.best} window{'s' if found.best != 1 else ''} that passed all "
                 f"{found.stages} stages: {bars}.")
    opening = (what + first)[0].upper() + (what + first)[1:]   # "the biggest group…" may open the sentence
    if found.small_best is None and found.small_windows:
        return (f"{opening} So much of the photo is skin-coloured that a search for small faces would read about "
                f"{found.small_windows:,} windows; it did not look for them.")
    if found.small_best is None:
        return opening
    first = (f"the first search's biggest group has {found.best} window{'s' if found.best != 1 else ''} that passed "
             f"all {found.stages} stages" if found.best else
             f"no window of the first search's {found.windows:,} passed all {found.stages} stages")
    first = (what + first)[0].upper() + (what + first)[1:] + f": {bars}."
    small = (f"a face from {classic_detector.SMALL_FACE_AT}, unsure from {classic_detector.SMALL_UNSURE_FROM}, "
             "since no face-free photo it was tried on got more than 3")
    if found.small_windows == 0:
        return (f"{first} Then it looked for small faces in the windows that are mostly skin-coloured, and found none "
                "to read.")
    return (f"{first} Then it looked for small faces, down to a twentieth of the shorter side, in the "
            f"{found.small_windows:,} windows that are mostly skin-coloured (and not flat): the biggest group has "
            f"{found.small_best} window{'s' if found.small_best != 1 else ''} ({small}).")


def classic_panel(im):
    """The classic detector's answer (Viola and Jones' cascade), before the neuron's."""
    found = classic_found(im)
    detector_answer(im, ("A classic face detector", "the classic detector"), found.cascade_verdict,
                    (classic_sentence(found, im.size), classic_detector.record_sentence()), found.boxes,
                    lambda photo, boxes, title, width: ff.classic_detection_figure(
                        photo, boxes, found.neighbours, found.face_at, title, width=width),
                    "each labelled with the windows that agree on it", "classic_map")
    with st.expander("How the classic detector works, and why it is harder to fool than one neuron",
                     key="classic_open", on_change="rerun") as box:
        st.write("It is the detector of Viola and Jones (2001), the one digital cameras used for a decade, with the "
                 "trained cascade that OpenCV ships. It reads 24 × 24 windows of grey levels, like the neuron reads "
                 "25 × 25 ones, but in 25 **stages** of 2,913 tiny tests in all. Each test compares the brightness of "
                 "two or three rectangles (the eyes darker than the cheeks, the bridge of the nose brighter than the "
                 "eyes), divided by the window's contrast so that light does not matter. A window must pass every "
                 "stage to count as a face, so most windows are thrown out after two or three cheap stages and the "
                 "big later stages read only the few that are left. It was trained on thousands of faces and "
                 f"face-free photos; the neuron below on {trained_faces()}.")
        st.write("A real face is found again by many windows a little moved or resized, so the windows that pass "
                 "are grouped, and the size of the biggest group is how sure it is.")
        if box.open:
            chart(ff.cascade_funnel_figure(found.survivors, "windows still in the running, stage by stage"),
                  f"Bars on a log scale: {found.windows:,} windows in all, {int(found.survivors[1]):,} not too flat "
                  f"to read, {int(found.survivors[2]):,} left after stage 1 and {int(found.survivors[-1]):,} after "
                  f"all {found.stages} stages.", key="classic_funnel", config=NO_LOGO)
        st.write("When it finds no face, it looks again for small ones, from a twentieth to a tenth of the "
                 "photo's shorter side. A small face is found by few windows, about as many as a photo of coins "
                 "gets, so this second search reads only windows whose middle is mostly skin-coloured: the colour "
                 "alone, without its brightness, so light and dark skin both pass. Grey coins, text and grass are "
                 "never read, and a small face with 6 windows in a group is enough.")
        if box.open and found.small_best is not None:
            small = small_copy(im)
            photo_chart(lambda width: ff.skin_figure(
                            np.asarray(small), classic_detector.skin_mask(np.asarray(small)),
                            "where the search for small faces looked<br>skin-coloured parts bright, the rest dimmed",
                            width=width),
                        small, "Your photo with its skin-coloured parts as they are and the rest dimmed: the search "
                        "for small faces read only windows whose middle is mostly skin-coloured.", key="classic_skin",
                        inputs=(photo_digest(im), im.size))
        st.caption("Its limits: it looks for faces seen from the front; a face in profile is not found. In a black "
                   "and white photo it cannot tell skin, so a face under a tenth of the shorter side is not found "
                   "there. Skin-coloured fur or wood is read too, and can make it unsure.")
    if found.network is not None:
        network_panel(im, found.network)
    return found


def detector_answer(im, names, verdict, captions, boxes, figure, labelled, key):
    """A face detector's answer: its verdict as a heading, its captions, and the photo with the places it found
    outlined (drawn by figure(photo array, boxes in its pixels, title, width), once per photo).

    names : (how the heading names it, how the chart's title and description do); boxes : (top, left, side) in
    pixels of the photo; labelled : how each box is labelled, for the chart's description."""
    heading, named = names
    st.subheader(f"{heading} says: {VERDICT_WORDS[verdict]}")
    for caption in captions:
        st.caption(caption)
    if not len(boxes):
        return
    small = small_copy(im)
    scale = small.size[1] / im.size[1]
    title = f"what {named} found<br>blue: a face; dashed orange: unsure"
    photo_chart(lambda width: figure(np.asarray(small), boxes * scale, title, width), small,
                f"Your photo with {len(boxes)} place{'s' if len(boxes) != 1 else ''} {named} found outlined, "
                f"{labelled}.", key=key, inputs=(photo_digest(im), im.size))


def network_sentence(net):
    """The face network's verdict in words: what it read, its best score and the bars."""
    faces = int(np.sum(net.scores >= face_network.FACE_AT))
    what = f"It found {faces} face{'s' if faces != 1 else ''}. " if faces else ""
    tiles = net.reads - 1
    read = ("the whole photo" if not tiles else
            f"the whole photo, then {tiles} overlapping square tile{'s' if tiles != 1 else ''} of it, each read at "
            f"{face_network.SIDE} × {face_network.SIDE} pixels so that small faces stay big enough to see")
    return (f"The classic detector found no face, so a second detector looked: a convolutional network. It read "
            f"{read}. {what}Its highest score a anywhere in the photo is {net.best:.2f}: a face from "
            f"{face_network.FACE_AT:.2f}, unsure from {face_network.UNSURE_FROM:.2f} (bars chosen on development "
            "photos, before it was measured on others).")


def network_panel(im, net):
    """The face network's answer (BlazeFace), asked when the cascade found no face."""
    detector_answer(im, ("A convolutional network", "the convolutional network"), net.verdict,
                    (network_sentence(net), face_network.record_sentence()), net.boxes,
                    lambda photo, boxes, title, width: ff.network_detection_figure(
                        photo, boxes, net.scores, face_network.FACE_AT, title, width=width),
                    "each labelled with its score a", "network_map")
    with st.expander("How the convolutional network works, and why it finds faces the cascade misses",
                     key="network_open"):
        st.write("It is BlazeFace, the face detector Google trained for MediaPipe (its \"full range\" model, for "
                 "faces near and far). Its first layer is many neurons like the one on this page, each reading a "
                 "small patch of the picture; each later layer's neurons read a small patch of the layer before, so "
                 "deeper layers see larger parts of the face: edges, then eyes and mouths, then whole heads. 91 "
                 "layers and about 500,000 weights in all, where each of our neurons has fewer than 700.")
        st.write(f"It reads a {face_network.SIDE} × {face_network.SIDE} picture and answers for each of "
                 f"{(face_network.SIDE // face_network.GRID_STEP) ** 2:,} places: how likely a face is centred "
                 "there (its last neuron's a = σ(z), as ours) and where the face's box is. It was trained on "
                 "thousands of faces as people photograph them, turned, tilted, small or partly covered, which is why "
                 "it finds faces that the cascade, trained on faces seen from the front, misses.")
        st.caption("Its limits: a face smaller than about a twentieth of the photo's shorter side, or one mostly "
                   "hidden, can still be missed, and busy patterns (a chessboard, a desk of small objects) can make "
                   "it unsure. It runs here in numpy, 20–30 ms per picture read on this server.")


# What the benchmarks on whole photos it never saw show (benchmarks/results/classify-held-out-b-2026-12-04.md), in
# words, next to every verdict: the test split's accuracy alone would promise more than the finder keeps.
LIMITS = ("Know its limits: the neuron finds people's faces well, but photos without a person that are busy with "
          "edges (pages of text, fur, leaves, stone) often fool it into \"a face\" too. The classic detector above "
          "is fooled far less often.")
TEST_SPLIT_NOTE = ("The test split's faces are cut and framed as the training faces are, so its accuracy is higher "
                   "than on a whole photo (see \"Know its limits\" under the verdict).")


def flat_sentence(scan, neuron):
    """How many windows the scan did not read because they are flatter than every training face."""
    m = scan.A.shape[1]
    why = (" On a flat patch the edges step would blow faint noise up into strong edges."
           if neuron.representation == "edges" else "")
    return (f"{scan.flat:,} of the {m:,} windows are flatter than every face the neuron trained on (their grey "
            f"levels spread less than {neuron.min_contrast:.0f} of 255 once the photo's tones are stretched to the "
            f"full range: a dark suit, a clear sky), so the scan gives them a = 0 without reading them.{why}")


def verdict_sentence(neuron, score):
    """The verdict and its numbers, to as many decimals as the crop's rule below gives them (detector
    .decimals_apart: 3, more where 3 would show two different ones equal); it read "threshold 0.87; between 0.80
    and 0.92" above a rule that said 0.869, 0.801 and 0.916."""
    low, high = neuron.unsure
    word = VERDICT_WORDS[neuron.verdict(score)]
    d = detector.decimals_apart([float(score), float(neuron.threshold), float(low), float(high)])
    return word, (f"face score {score:.{d}f}, threshold {neuron.threshold:.{d}f}; between {low:.{d}f} and "
                  f"{high:.{d}f} the neuron is unsure and says so instead of guessing.")


def face_panel(im):
    """Everything the face finder shows for one photo (a Pillow image): the classic detector's answer, then the
    neuron's; for a photo too small to hold a face they could read, one line that says so."""
    if too_small := detector.too_small_sentence(images.original_size(im)):
        st.warning(too_small)
        return
    classic = classic_panel(im)
    finders = current()
    rep = st.radio("The neuron reads", list(LABELS), format_func=LABELS.get, horizontal=True, key="clf_rep",
                   help="The same neuron, a = σ(wᵀx + b), trained the same way; only x differs.")
    neuron = finders[rep].neuron
    key, scan = scanned(im, neuron)
    if st.session_state.get("clf_auto") != key or "clf_fzoom" not in st.session_state:
        # a new photo or neuron (or sliders Streamlit forgot): the crop starts at the chosen window
        zoom, cx, cy = scan.crop_settings()
        st.session_state["clf_fzoom"] = float(np.clip(round(zoom, 1), 1.0, MAX_ZOOM))
        st.session_state["clf_fcx"], st.session_state["clf_fcy"] = round(cx, 2), round(cy, 2)
        st.session_state["clf_auto"] = key
    word, detail = verdict_sentence(neuron, scan.score)
    st.subheader(f"The {rep} neuron says: {word}")
    agree = "agrees with" if neuron.verdict(scan.score) == classic.verdict else "differs from"
    st.caption(f"{detail} It {agree} the {'detectors' if classic.network is not None else 'classic detector'}.")
    st.caption(f"{LIMITS} {detector.record_sentence(rep)}")
    predict_ui.photo_checked(scan.score, CLASS_NAMES, im, neuron.threshold, neuron.unsure, at_least=True,
                             score=f"its face score, the mean a of the {detector.TOP_NEIGHBOURS} best windows around "
                                   "the best place in the photo", says_unsure=True, symbol="face score",
                             neuron=f"the face finder's {rep} neuron", on="the whole photo",
                             setup={"neuron": ("finder", rep, float(neuron.b))})
    show_map(im, key, scan, rep)
    m, n_x = scan.A.shape[1], neuron.w.shape[0]
    st.write(f"The scan cut this photo into {m:,} windows at {len(set(np.round(scan.boxes[:, 2], 3)))} sizes. "
             f"Each window is one column of a matrix X of shape ({n_x}, {m:,}), so one product "
             f"A = σ(wᵀX + b) gives all {m:,} values of a at once: vectorisation doing real work.")
    st.caption(f"The verdict rests on the best place among those {m:,} windows: one face-like place is enough "
               "for \"a face\". That is why photos busy with edges fool it: they offer the neuron thousands of "
               "chances to find something face-like.")
    if scan.flat:
        st.caption(flat_sentence(scan, neuron))
    st.caption(smallest_face_sentence(im, scan))
    crop_panel(im, neuron, rep, scan)
    compare_panel(im, finders)


def smallest_face_sentence(im, scan):
    """What the scan cannot find: faces smaller than its smallest window (a sixth of the shorter side of a photo
    of at least detector.WORK_SIDE pixels, one window of a smaller one), in pixels of the photo as uploaded (a big
    photo is read at half size or smaller: images.original_size)."""
    short = min(images.original_size(im))
    side = round(float(scan.boxes[:, 2].min()) * short / min(scan.work_shape))
    how = detector.smallest_window_words(min(im.size), min(scan.work_shape))
    return (f"The smallest window the scan tries is {side} × {side} pixels of this photo ({how}). A smaller face, "
            "someone seen from afar, is not looked for: crop the photo closer to the face and upload it again.")


def show_map(im, key, scan, rep):
    """The map of a over the photo; key: the scan's key (see `scanned`)."""
    small = small_copy(im)
    photo = np.asarray(small)
    scale = photo.shape[0] / scan.work_shape[0]
    top, left, side = np.array(scan.best_box) * scale
    not_read = detector.not_read_map(scan)
    heat = detector.heat_map(scan)
    photo_chart(lambda width: ff.detection_figure(
                    photo, heat, (top, left, side), f"a over the photo ({rep} neuron)<br>blue: the place chosen"
                    + ("; grey: not read" if not_read.any() else ""), not_read=not_read, width=width),
                small, "Your photo with the neuron's a drawn over it: the warmer, the more face-like; a blue square "
                "marks the place the scan chose"
                + ("; grey covers patches too flat to be a face, which the scan did not read." if not_read.any()
                   else "."), key="finder_map", inputs=key)
    if rep == "pixels":
        st.caption("The pixels neuron lights up almost everywhere: bright-over-dark patterns anywhere look like a "
                   "face to it. It can only judge a window that is framed exactly like its training faces.")
    else:
        st.caption("The edges neuron lights up where edges run the way they do in a face: around eyes, nose, mouth "
                   "and the outline of the head.")


PHONE_CHART_PX = 358   # a chart's width on a 390-px phone (Streamlit's page padding on each side)


def photo_chart(build, small, alt, key, inputs):
    """A chart of the photo, built by build(width). A photo wider than high is drawn twice, for a laptop and for a
    phone (ui.classroom.BASE_CSS shows one of the two): on a phone the chart is as high as the photo at a phone's
    width, where a chart sized for a laptop left up to 200 px blank under it.

    inputs: a plain key for everything the figure is built from (the photo's digest, the scan's key): each figure is
    built once and kept (see `drawn`), so a zoom move does not build the photo's charts again."""
    def figure(width):
        return drawn((key, inputs, width), lambda: build(width))
    if small.size[0] <= small.size[1]:
        chart(figure(None), alt, key=key, config=NO_LOGO)
        return
    with st.container(key=f"wide_{key}"):
        chart(figure(None), alt, key=key, config=NO_LOGO)
    with st.container(key=f"phone_{key}"):
        chart(figure(PHONE_CHART_PX), alt, key=f"{key}_phone", config=NO_LOGO)


def crop_panel(im, neuron, rep, scan):
    st.caption("The sliders start at the place outlined in blue above. Move them to choose another crop.")
    c1, c2, c3 = st.columns(3)
    zoom = c1.slider("Zoom", 1.0, MAX_ZOOM, key="clf_fzoom", step=0.1, help="Zoom in so that the face fills the frame.")
    cx = c2.slider("Horizontal centre", 0.0, 1.0, key="clf_fcx", step=0.01)
    cy = c3.slider("Vertical centre", 0.0, 1.0, key="clf_fcy", step=0.01)
    a, seen, square = detector.classify_crop(neuron, im, zoom, cx, cy)
    mean, guide = average_face()
    left, right = st.columns([1, 2])
    left.image(images.image_to_bytes_png(images.thumbnail(square, 256)),
               caption="your photo, cropped", alt="Your photo, cropped and zoomed as set above.")
    with right:
        chart(ff.seen_figure(seen, mean, guide if rep == "pixels" else None),
              "The 25 × 25 window the neuron saw, beside the average of its training faces.", key="seen",
              config={**NO_LOGO, "displayModeBar": False})  # nothing to zoom; on a phone it covered the titles
    if rep == "pixels":
        st.caption("Framing guide: the circles mark where the eyes and the mouth sit in the average training "
                   "face. The pixels neuron only works when your crop puts them in the same places.")
    x = "HOG features of the crop, shape (576, 1)" if rep == "edges" else "pixels / 255, shape (625, 1)"
    st.text(f"crop  →  grey 25 × 25  →  x = {x}")
    word = VERDICT_WORDS[neuron.verdict(a)]
    because, rule = neuron.verdict_rule(a)   # the neuron's own threshold and unsure band, not a > 0.5
    st.text(f"a = σ(wᵀx + b) = {a:.3f}  →  class: {word}, because {because}")
    st.caption(f"{rule} The verdict above applies the same rule to the face score, the mean a of the "
               f"{detector.TOP_NEIGHBOURS} best windows around the best place, not to this crop's a.")
    if neuron.verdict(a) != neuron.verdict(scan.score):
        st.caption(crop_differs_sentence(neuron, scan, a))


def crop_differs_sentence(neuron, scan, a):
    """Why this crop's class is not the verdict's: the verdict rests on other windows than this crop (the box
    outlined is the framing neuron's choice, or a mean of windows, and the crop is cut from the full photo, not
    from the scan's small copy)."""
    d = detector.decimals_apart([float(scan.score), float(a)])   # as the verdict and the crop's a are shown
    return (f"This crop and the verdict above differ: the verdict ({VERDICT_WORDS[neuron.verdict(scan.score)]}, "
            f"face score {scan.score:.{d}f}) rests on the {detector.TOP_NEIGHBOURS} best windows the scan read "
            f"around its best place, which need not be where the box is drawn; this crop gets a = {a:.{d}f}. "
            "A window moved or resized by a few pixels can get a very different a: one neuron is that sensitive "
            "to framing, which is why the scan reads thousands of windows.")


def compare_panel(im, finders):
    st.subheader("Both neurons on this photo")
    rows, keys = [], []
    for rep in detector.REPRESENTATIONS:
        neuron = finders[rep].neuron
        key, scan = scanned(im, neuron)
        rows.append((rep, scan.score, neuron.threshold))
        keys.append(key)
    chart(drawn(("finder_compare", *keys), lambda: ff.scores_figure(rows)),
          "; ".join(f"{rep}: face score {s:.2f}, threshold {t:.2f}" for rep, s, t in rows),
          key="finder_compare", config=NO_LOGO)
    st.write("**Edges are the default for faces.** The pixels neuron compares brightness pixel by pixel, so a "
             "face a little off-centre, a different light or a patterned background fools it: scanned over a "
             "photo it finds something face-like nearly everywhere. Edges (which way the brightness changes, "
             "cell by cell, normalised for light) keep the shape of eyes, nose and mouth and ignore the light. "
             "The neuron did not change; what it reads did.")


def training_panel():
    """How the two face neurons were trained: counts per mining round, accuracies, weights, what still fools them,
    and a retrain button."""
    finders = current()
    st.subheader("How the face neurons were trained")
    st.write(f"Each neuron learned from the bundled faces, each shown {face_training.COPIES} more times a little "
             "moved, resized, "
             "tilted, mirrored, darker or paler; against crops of face-free photos and blown-up parts of faces. "
             "Then **hard-negative mining**: scan the face-free photos, add every window that fooled the neuron "
             "(a > 0.5) to the non-faces, and train again. The threshold was then chosen on a validation split "
             "(faces it never trained on, pasted into photos it never trained on), not by hand.")
    for rep in detector.REPRESENTATIONS:
        f = finders[rep]
        lines = [f"{rep}: LFW test accuracy {f.test_accuracy:.1%} (single windows, a > 0.5); the finder's "
                 f"threshold on photos {f.neuron.threshold:.2f}"]
        for i, r in enumerate(f.rounds):
            found = "" if r.fooled < 0 else f"; scanned {r.scanned:,} windows, {r.fooled:,} fooled it"
            lines.append(f"  round {i}: {r.positives:,} faces, {r.negatives:,} non-faces{found}")
        st.text("\n".join(lines))
    st.caption(TEST_SPLIT_NOTE)
    hog_fig, pix_fig = weights_figures(float(finders["edges"].neuron.b), float(finders["pixels"].neuron.b))
    left, right = st.columns(2)
    with left:
        chart(hog_fig, "The edges neuron's weights: in each 5 × 5 cell of the window, strokes "
                       "along the edge directions it wants (purple) or does not want (orange).",
              key="finder_w_edges", config=NO_LOGO)
    with right:
        chart(pix_fig, "The pixels neuron's weights as a 25 × 25 picture.", key="finder_w_pixels",
              config=NO_LOGO)
    st.write("**What still fools them.** The most face-like window in each bundled face-free photo, with the "
             "neuron's a. Mining showed each neuron six of these photos (in training); the clock and the Hubble "
             "deep field were kept back to choose the threshold. A window framed in blue scores at or over the "
             "threshold: to the neuron it looks like a face.")
    for rep in detector.REPRESENTATIONS:   # bridged: its narrow layout (layout.meta.narrow) holds on a phone
        bridged_chart(most_face_like_figure(rep, float(finders[rep].neuron.b)),
                      f"finder_fools_{rep}", f"For the {rep} neuron: the most face-like window of each face-free "
                      "photo and its a.", config=NO_LOGO)
    if st.button("Train both again (a minute or two)", key="clf_finder_train"):
        store()["finders"], store()["scans"], store()["drawn"] = retrained(), {}, {}
        st.rerun()
    if _RETRAINED and store()["finders"] is _RETRAINED.get("finders"):
        minutes = max(1, round((time.time() - _RETRAINED["at"]) / 60))
        st.caption(f"Trained again on this server about {minutes} minute{'s' if minutes != 1 else ''} ago. The "
                   "recipe is seeded, so every training gives these same neurons: a class shares one, and a second "
                   "press shows it at once.")


_RETRAIN_LOCK = threading.Lock()
_RETRAINED: dict = {}   # {"finders": {rep: BundledFinder}, "at": time}: the neurons trained again on this server


def retrained() -> dict:
    """Both finders trained again by the recipe of scripts/train_faces.py, with a progress bar: once per server.
    The recipe is seeded, so a training gives the same neurons whoever presses: a class of 30 pressing at once
    waits for one training (a minute or two of one core) instead of running 30 on the class's small server."""
    bar = st.progress(0.0, "Waiting for the training another student started…" if _RETRAIN_LOCK.locked()
                      else "Training…")
    with _RETRAIN_LOCK:
        if not _RETRAINED:
            steps = iter(np.linspace(0.05, 0.95, 12))
            new = {}
            for rep in detector.REPRESENTATIONS:
                f = face_training.train_finder(rep, progress=lambda text: bar.progress(float(next(steps, 0.95)),
                                                                                        text))
                new[rep] = face_training.BundledFinder(f.neuron, f.test_accuracy, f.rounds, float(f.cost[-1]))
            _RETRAINED.update(finders=new, at=time.time())
    bar.empty()
    return _RETRAINED["finders"]
