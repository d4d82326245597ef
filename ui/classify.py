"""The Classify page's three tabs: train on bundled images, classify a photo, and your own two classes.

Each tab is a function the page calls (pages/classify.py): widgets -> cached core.lessons.classify calls ->
core.figures.classify builders -> charts. Names and file names from users are only ever shown escaped.
"""

import hashlib
import threading
import weakref

import streamlit as st
from PIL import ImageOps

from core.data import images
from core.errors import InputError
from core.figures import classify as figs
from core.lessons import classify, face_training
from core.lessons.detector import decimals_apart
from core.markup import notation
from ui import face_finder
from ui import predict as predict_ui
from ui.chart_bridge import bridged_chart
from ui.charts import NO_LOGO, chart
from ui.common import formulas, show_input_error
from ui.uploads import decoded_upload

OWN = "classify_own"  # the page's session_state key for the user's own classes (core.lessons.classify.OwnClasses)
OWN_FIGURES = "classify_own_figures"  # the figures of their last training, built once per training


def own_store() -> classify.OwnClasses:
    """The user's own classes, photos and model, kept in st.session_state[OWN] across reruns and page switches."""
    return st.session_state.setdefault(OWN, classify.OwnClasses())


def own_copy(im):
    """classify.kept_copy of a photo, which a neuron trained on your own photos reads (its training photos were kept
    so): made once per photo, a zoom move reuses it (24 ms for a 12 MP photo). The photo itself is held weakly."""
    held = st.session_state.get("_clf_own_copy")
    if held is None or held[0]() is not im:
        held = (weakref.ref(im), classify.kept_copy(im))
        st.session_state["_clf_own_copy"] = held
    return held[1]


def task_key(p):
    """The scalars that name p's bundled task: digit and versus only matter for digits (one cache entry for faces)."""
    return (p.data, p.digit, p.versus) if p.data == "digits" else (p.data, 0, "rest")


@st.cache_resource(max_entries=8, show_spinner=False)
def data_figures(data, digit, versus):
    """The sample grid and the preprocessing figure of one bundled task, built once per server (figures are
    never changed after they are built, so sessions share them)."""
    task = classify.bundled_task(classify.ClassifyParams(data=data, digit=digit, versus=versus))
    steps = classify.example_steps(task)
    return (task, steps, figs.sample_grid(classify.class_samples(task), labels=(1, 0)),  # class 1 first
            figs.preprocess_figure(steps["resized"], steps["scaled"]))


@st.cache_resource(max_entries=16, show_spinner=False)
def trained_slot(data, digit, versus, alpha, iters, lambd):
    """A shared box for one trained model and its figures, keyed on scalars; filled below, so a progress bar can
    run."""
    return {"lock": threading.Lock()}


def trained(p):
    slot = trained_slot(*task_key(p), p.alpha, p.iters, p.lambd)
    with slot["lock"]:  # sessions asking at once wait for one training (docs/LOAD.md: a stampede)
        if "result" not in slot:  # the first session to ask trains it; every later one reuses it
            bar = st.progress(0.0, "Training…")
            res = classify.train_task(
                classify.bundled_task(p), p.alpha, p.iters, p.lambd, source=p.data,
                progress=lambda d, t: bar.progress(d / max(t, 1), f"Training: {d} / {t}"))
            slot["figures"] = result_figures(res)
            slot["result"] = res  # last: a slot with a result always has its figures
            bar.empty()
    return slot["result"], slot["figures"]


@st.cache_resource(max_entries=8, show_spinner="Training with three learning rates…")
def compared(data, digit, versus, iters, lambd):
    p = classify.ClassifyParams(data=data, digit=digit, versus=versus, iters=iters, lambd=lambd)
    # rates from this data's curvature
    lam, runs = classify.rates_from_curvature(classify.bundled_task(p), iters, lambd)
    fig = figs.learning_rate_chart([(r.alpha, r.result.cost, r.result.train_accuracy, r.result.test_accuracy)
                                    for r in runs])
    return fig, classify.describe_rates(lam, runs)


def result_figures(res, unit="images"):
    """(cost curve, confusion matrix, weights) of one TrainResult: built once per model, then only shown.
    unit: what the examples are called ("images", "photos")."""
    m = res.model
    cm, which = ((res.confusion_test, "test") if res.confusion_test is not None
                 else (res.confusion_train, "training"))
    return (figs.cost_curve(res.cost),
            figs.confusion_figure(cm, m.class_names, f"Confusion matrix ({which} {unit})", unit=unit),
            figs.weights_figure(m.weights_image(), m.class_names))


def results(res, figures, key, unit="images"):
    """Accuracies, cost curve, confusion matrix and weights of one TrainResult (figures: result_figures(res)).
    unit: what the examples are called ("images", "photos")."""
    names = [classify.escape_markdown(n) for n in res.model.class_names]
    st.caption(notation(res.message))
    cols = st.columns(3)
    cols[0].metric("Train accuracy", f"{res.train_accuracy:.1%}")
    cols[1].metric("Test accuracy", "no test set" if res.test_accuracy is None else f"{res.test_accuracy:.1%}")
    cols[2].metric("Final cost J", f"{res.cost[-1]:.4f}")
    st.caption(classify.sizes_note(res, unit))
    if classify.small_test_note(res, unit):
        st.info(classify.small_test_note(res, unit))
    learned, against_baseline = classify.baseline_note(res, unit, names)
    accuracies = res.train_accuracy, res.test_accuracy
    if not learned:   # nothing learned, so nothing to overfit: no word on overfitting
        st.warning(against_baseline)
    elif note := classify.overfitting_note(*accuracies, m_test=classify.m_test_of(res), unit=unit):
        st.warning(note)
    elif note := classify.generalisation_note(*accuracies, m_test=classify.m_test_of(res), unit=unit):
        st.caption(note)
    if learned:
        st.caption(against_baseline)
    cost, cm, weights = figures
    left, right = st.columns(2)
    with left:
        chart(cost, classify.cost_curve_words(res.cost), key=f"{key}_cost", config=NO_LOGO)
    with right:
        chart(cm, f"Confusion matrix: how many {unit} of each class were labelled as each class.",
              key=f"{key}_cm", config=NO_LOGO)
    # bridged: a colour neuron's narrow layout (layout.meta.narrow: short panel titles) holds on a phone
    bridged_chart(weights, f"{key}_w", "The weights w drawn as an image, one pixel per weight: positive weights in "
                                       "purple, negative ones in orange.", config=NO_LOGO)
    st.caption(classify.weights_caption(names, unit))


def bundled_tab(p):
    task, steps, samples, preprocess = data_figures(*task_key(p))
    st.subheader("The data")
    chart(samples, f"Sample training images of the two classes, {task.class_names[1]} (y = 1) and "
                   f"{task.class_names[0]} (y = 0).", key="samples", config=NO_LOGO)
    st.write(f"{task.X_train.shape[1]} training and {task.X_test.shape[1]} test images, "
             f"{task.num_px} × {task.num_px} pixels, grayscale.")
    st.subheader("From image to column vector x")
    st.text(f"original {steps['original'].size[0]} × {steps['original'].size[1]}  →  resized {task.num_px} × "
            f"{task.num_px}  →  flattened: shape {steps['flat'].shape}  →  divided by 255: x in [0, 1]")
    chart(preprocess, f"One training image resized to {task.num_px} × {task.num_px}, and the same "
                      "pixels as one column of numbers between 0 and 1.", key="steps", config=NO_LOGO)
    # each formula whole: a line of several wraps between them (ui.common.formulas), never inside one
    formulas(r"x = \frac{\text{pixels}}{255}", r"z = w^T x + b", r"a = \sigma(z) = P(y=1 \mid x)")
    st.subheader("Training")
    formulas(r"J = \frac{1}{m}\sum_{i=1}^m \mathcal{L}(a^{(i)}, y^{(i)}) + \frac{\lambda}{2m}\lVert w\rVert^2",
             r"w := w - \alpha\, dw", r"b := b - \alpha\, db")
    res, figures = trained(p)
    results(res, figures, "bundled")
    st.subheader("Three learning rates")
    lr_chart, lr_words = compared(*task_key(p), p.iters, p.lambd)
    chart(lr_chart, "The cost J against the iteration for three learning rates, with their accuracies.",
          key="lr3", config=NO_LOGO)
    st.caption(notation(lr_words[0]))   # what λ_max is, ending "multiples of 1/λ_max:": it introduces the list under it
    st.markdown(notation("\n".join(f"- {line}" for line in lr_words[1:])))
    return res.model


def photo_input(key):
    """A photo from a file or the camera, checked; returns a Pillow image or None."""
    how = st.radio("Photo from", ["a file", "the camera"], horizontal=True, key=f"{key}_how")
    if how == "a file":
        up = st.file_uploader("Upload a photo", type=images.ALLOWED_EXTENSIONS, key=f"{key}_file",
                              max_upload_size=images.MAX_FILE_BYTES // 2**20)
    else:
        up = st.camera_input("Take a photo", key=f"{key}_cam")
    # the uploader itself lists the formats and the file size: the caption adds only what it does not say
    limit = f"At most {images.MAX_PIXELS // 1_000_000} megapixels. " if how == "a file" else ""
    st.caption(f"{limit}Your photo stays in this browser session only.")
    if up is None:
        return None
    try:
        return decoded_upload(up)  # decoded once per upload: a zoom move does not decode it again
    except InputError as err:
        show_input_error(err)
        return None


FRAMING = {   # how the bundled neuron's training images are framed: frame the photo the same way
    "faces": "The training faces fill the whole frame (see the samples on the first tab): zoom in and move the centre "
             "until the face does too.",
    "digits": "The digits neuron learned light strokes on a dark background, each digit filling the frame (see the "
              "samples on the first tab): zoom in and move the centre until your digit fills the frame too. A dark "
              "digit on light paper is the opposite of every digit it saw: tick the box below to invert the photo.",
}
READ_AT = {2: "half size", 3: "a third of its size", 4: "a quarter of its size"}


def framing_caption(task, model, imported=False):
    """How to frame a photo for this neuron. task: "faces" or "digits" (the bundled neuron's), or "own";
    imported: the own neuron came from a model file, not from the photos of the own tab."""
    if task == "own":
        one, zero = (classify.escape_markdown(n) for n in model.class_names[::-1])
        if imported:
            return (f"This neuron was imported from a file: it learned {one} and {zero} from the photos it was "
                    "trained on, not from the photos of your own tab. Frame this photo the way those were framed.")
        return (f"Your neuron learned from your own photos of {one} and {zero}: it knows only what they show. Frame "
                "this photo the way you framed those.")
    return FRAMING[task]


def photo_steps(im, model, inverted, kept=None):
    """The photo's way to x in one line: its real size (and the size it was read at), the size it was kept at
    (`kept`, for a neuron trained on your own photos), the crop, the inversion and the grey levels when they
    apply, then the course's steps."""
    (w, h), (rw, rh) = images.original_size(im), im.size
    size = f"{w} × {h}"
    if (w, h) != (rw, rh):   # a photo over images.MAX_DECODED_SIDE a side is read smaller, by a whole factor
        k = round(max(w, h) / max(rw, rh))
        size += f", read at {rw} × {rh} ({READ_AT.get(k, f'1/{k} of its size')})"
    if kept is not None and tuple(kept) != (rw, rh):
        size += f", made {kept[0]} × {kept[1]} as your classes' photos were"
    n = model.num_px
    steps = [f"your photo {size}", "cropped square", *(["inverted"] if inverted else []),
             *(["grey"] if model.channels == 1 else []), f"resized {n} × {n}",
             f"flattened: x of shape ({model.n_x}, 1)", "divided by 255"]
    return "  →  ".join(steps)


def neuron_key(model):
    """A short fingerprint of a neuron's w and b: another neuron, or the same one retrained, gets another."""
    return hashlib.blake2b(model.w.tobytes(), digest_size=8).hexdigest(), float(model.b)


@st.fragment  # a photo, a crop or a zoom reruns this tab only, not the training above it
def classify_tab(bundled_model, data="faces", linked="finder"):
    """The photo tab. bundled_model: the left tab's neuron, trained on data ("faces" or "digits"); linked: the
    page's link's choice of what classifies (ClassifyParams.clf_which), as the page's last full run wrote it."""
    own = own_store().model
    choices = {"finder": "the face finder (it scans the whole photo)", "bundled": "the neuron trained on the left tab"}
    choices |= {"own": "your own neuron"} if own else {}
    if st.session_state.get("clf_which") not in choices:      # "own" from a link, in a session without its neuron
        st.session_state.clf_which = "finder"
    which = st.radio("Classify with", list(choices), format_func=choices.get, horizontal=True, key="clf_which")
    if which != linked:           # this tab reruns alone: the whole page writes the link, so let it run once
        st.rerun(scope="app")
    if which == "finder":
        train, kept_back = face_finder.face_counts()
        st.text("Machines of three sizes look for a face in your photo. First a classic face detector (Viola and "
                "Jones' cascade of 2,913 tiny tests, trained on thousands of faces); when it finds none, a "
                "convolutional network of about 500,000 weights, trained on faces as people photograph them. Then "
                "the face finder's neuron, "
                f"a = σ(wᵀx + b), trained here on {train} small faces (each also shown {face_training.COPIES} more "
                f"times a little moved, tilted or mirrored: the {train * (face_training.COPIES + 1):,} faces its "
                f"training log below counts) and on photos without one; {kept_back} more faces were kept back to "
                "choose its threshold, pasted into photos it never trained on. A second neuron, trained "
                "on faces framed well against windows that frame them badly, chooses where its box goes and never "
                "changes its verdict. The neuron finds most faces, but many photos with no face in them fool it: "
                f"one neuron and {train} faces are not enough to tell every face from everything else.")
        predict_ui.photo_box(face_finder.CLASS_NAMES, unsure=True)  # predict, then check: asked before the photo
    else:
        model = own if which == "own" and own else bundled_model
        st.text(f"This neuron tells {model.class_names[1]} (a near 1) from {model.class_names[0]} (a near 0); "
                f"it reads {model.num_px} × {model.num_px} {'colour' if model.channels == 3 else 'grayscale'} images.")
        predict_ui.photo_box(model.class_names)
    im = photo_input("clf_photo")
    if which == "finder":
        if im is None:
            st.info("Upload a photo or take one with the camera: the neuron looks for a face in it.")
        else:
            face_finder.face_panel(im)
        face_finder.training_panel()
        return
    if im is None:
        st.info("Upload a photo or take one with the camera to see what the neuron says.")
        return
    task = "own" if which == "own" and own else data
    # a neuron trained on your own photos reads the copy they were kept at: a training photo gets its training a
    source = own_copy(im) if task == "own" else im
    st.caption(framing_caption(task, model, imported=task == "own" and own_store().result is None))
    invert = task == "digits" and st.checkbox(
        "My digit is dark on light paper: invert it", key="clf_invert",
        help="Dark becomes light and light becomes dark, before the neuron reads the photo.")
    c1, c2, c3 = st.columns(3)
    zoom = c1.slider("Zoom", 1.0, 4.0, 1.0, 0.1, key="clf_zoom",
                     help="Zoom in so that the object fills the frame.")
    cx = c2.slider("Horizontal centre", 0.0, 1.0, 0.5, 0.01, key="clf_cx")
    cy = c3.slider("Vertical centre", 0.0, 1.0, 0.5, 0.01, key="clf_cy")
    square = images.crop_zoom(source, zoom, cx, cy)
    if invert:
        square = ImageOps.invert(square)   # light strokes on dark, as the digits it learned from
    pred = classify.classify_image(model, square)   # the square as cut (and inverted): zoom 1 keeps all of it
    a = pred.probability
    shown = f"{a:.{decimals_apart([a, 0.5])}f}"    # never shown as 0.500 when it is above or below 0.5
    left, right = st.columns([1, 2])
    left.image(images.image_to_bytes_png(images.thumbnail(pred.square, 256)),
               caption="your photo, cropped" + (" and inverted" if invert else ""),
               alt="Your photo, cropped and zoomed as set above" + (", and inverted." if invert else "."))
    with right:
        chart(figs.pixels_figure(pred.seen, f"as the neuron sees it: {model.num_px} × {model.num_px}"),
              f"Your photo as the neuron sees it: {model.num_px} × {model.num_px} pixels.", key="seen",
              config=NO_LOGO)
    bar = figs.probability_figure(a, model.class_names)
    bar.update_traces(text=[f"a = {shown}"])       # the bar's label, to as many decimals as the line below
    chart(bar, f"The neuron's output a = {shown} on a bar from 0 ({model.class_names[0]}) to 1 "
               f"({model.class_names[1]}).", key="proba", config=NO_LOGO)
    st.text(photo_steps(im, model, invert, kept=source.size))
    st.text(f"a = σ(wᵀx + b) = {shown}  →  class: {pred.class_name}")
    predict_ui.photo_checked(a, model.class_names, im, neuron=choices[which],
                             on=f"your photo cropped at zoom {zoom:.1f} around ({cx:.2f}, {cy:.2f})"
                                + (", inverted" if invert else ""),
                             setup={"neuron": (which, task, *neuron_key(model)), "crop": (zoom, cx, cy),
                                    "invert": invert})


def own_tab():
    store = own_store()
    for i, name in enumerate(store.names):
        if store.renamed or f"clf_name{i}" not in st.session_state:  # restored after page switches, too
            st.session_state[f"clf_name{i}"] = name
    store.renamed = False  # an imported model renamed the classes: the boxes followed once
    c0, c1 = st.columns(2)
    raw = (c0.text_input("Class y = 0 (for example: not hotdog)", key="clf_name0", max_chars=classify.MAX_NAME_LENGTH),
           c1.text_input("Class y = 1 (for example: hotdog)", key="clf_name1", max_chars=classify.MAX_NAME_LENGTH))
    try:
        store.names = classify.check_class_names(*raw)
    except InputError as err:
        show_input_error(err)
        return
    for label, col in ((0, c0), (1, c1)):
        with col:
            add_photos(store, label)
    if st.toggle("Take photos with the camera", key="clf_own_cam_on"):
        shot = st.camera_input("Take a photo, then add it to a class", key="clf_own_cam")
        b0, b1 = st.columns(2)
        for label, col in ((0, b0), (1, b1)):
            if shot is not None and col.button(f"Add this photo to {classify.escape_markdown(store.names[label])}",
                                               key=f"clf_add{label}"):
                try:
                    if not store.add(label, shot.getvalue()):
                        st.info(f"This photo is already in {classify.escape_markdown(store.names[label])}: "
                                "it counts once.")
                except InputError as err:
                    show_input_error(err)
    if both := store.in_both_note():
        st.warning(classify.escape_markdown(both))   # file names are the student's: plain text only
    counts = store.counts
    st.caption("Each photo is cut to its centre square, then resized to num_px × num_px (Image size, under Train "
               "your neuron), both for training and when you classify a photo with your neuron: keep what matters "
               "in the middle." + (" The squares below are those centre squares." if sum(counts) else ""))
    if sum(counts):
        chart(figs.sample_grid(classify.own_samples(store.names, store.images), per_class=16, labels=(1, 0),
                               unit="photos"),
              f"Your photos: {counts[1]} of {store.names[1]} and {counts[0]} of {store.names[0]}.",
              key="own_samples", config=NO_LOGO)
    st.subheader("Train your neuron")
    st.caption("These settings train the neuron on your photos; the sidebar's (Bundled data) are for the bundled "
               "faces and digits only.")
    s = st.columns(5)
    num_px = s[0].selectbox("Image size num_px", classify.OWN_NUM_PX_CHOICES, index=1, key="clf_own_px")
    channels = 3 if s[1].radio("Colours", ["colour", "grayscale"], key="clf_own_ch") == "colour" else 1
    alpha = s[2].select_slider("Learning rate α", classify.ALPHA_CHOICES, value=0.01, key="clf_own_alpha")
    iters = s[3].select_slider("Iterations", classify.ITERATION_CHOICES, value=2000, key="clf_own_iters")
    lambd = s[4].select_slider("L2 λ", classify.LAMBDA_CHOICES, value=1.0, key="clf_own_lambd")
    if st.button("Train on my photos", type="primary", key="clf_own_train"):
        bar = st.progress(0.0, "Training…")
        try:
            store.train(num_px, channels, alpha, iters, lambd,
                        progress=lambda d, t: bar.progress(d / max(t, 1), f"Training: {d} / {t}"))
            st.session_state[OWN_FIGURES] = result_figures(store.result, "photos")
        except InputError as err:
            show_input_error(err)
        bar.empty()
    if store.result is not None:
        if store.stale:   # photos added or removed since: the results tell of the photos of that time
            st.warning(store.stale_note([classify.escape_markdown(n) for n in store.names]))
        elif store.note:
            st.info(store.note)
        if OWN_FIGURES not in st.session_state:  # e.g. a session restored without its figures
            st.session_state[OWN_FIGURES] = result_figures(store.result, "photos")
        results(store.result, st.session_state[OWN_FIGURES], "own", unit="photos")
    model_files(store)


def add_photos(store, label):
    """One class's uploader, with the class's photos kept in step with it (OwnClasses.sync): a file taken out of
    the box (its ×) leaves the class, the same photo twice counts once, and a file not taken says why for as
    long as it is in the box."""
    key = f"clf_up{label}_{store.generations[label]}"  # per class: clearing one leaves the other
    # Streamlit empties an uploader that was not drawn in the last run (the page was left, or the class names
    # were refused): that box is new, and its photos stay, no longer tied to its files
    fresh = key not in st.session_state
    files = st.file_uploader(f"Photos of {classify.escape_markdown(store.names[label])}", key=key,
                             type=images.ALLOWED_EXTENSIONS, accept_multiple_files=True,
                             max_upload_size=images.MAX_FILE_BYTES // 2**20)
    notes = store.sync(label, [(f.file_id, f.name, f.getvalue) for f in files or []], fresh=fresh)
    st.text(f"{store.counts[label]} photo(s); at least {classify.MIN_IMAGES_PER_CLASS} needed")
    loose = sum(p.upload_id is None for p in store.photos[label])
    if loose:
        st.caption(f"{loose} of them {'is' if loose == 1 else 'are'} not in the box above (taken with the camera, "
                   "or kept when the box was emptied, as leaving this page empties it): “Remove this class's photos” "
                   "removes them.")
    for kind, sentence in notes:
        if kind == "refused":
            show_input_error(sentence)
        elif kind == "full":
            st.warning(sentence)  # the class is full: the other files are skipped
        else:
            st.info(classify.escape_markdown(sentence))   # the same photo twice (it counts once), or a tiny one
    if store.photos[label] and st.button("Remove this class's photos", key=f"clf_clear{label}"):
        store.clear(label)  # and a new, empty uploader
        st.rerun()


def model_files(store):
    st.subheader("Save or load a model")
    if store.model is not None:
        st.download_button("Export the model (.json)", classify.model_to_json(store.model), "basin-model.json",
                           mime="application/json", key="clf_export", on_click="ignore")
    up = st.file_uploader("Import a model exported by Basin", type=["json"], key="clf_import",
                          max_upload_size=1)
    st.caption(f"A .json file of at most {classify.MAX_MODEL_BYTES / 1e6:g} MB, as the box above says. It is checked "
               "before use.")
    if up is not None and store.import_model(up.file_id, up.getvalue()):
        st.session_state.pop(OWN_FIGURES, None)
        st.rerun()
    if store.import_error and up is not None:
        show_input_error(store.import_error)
    elif store.model is not None and store.result is None:   # an imported neuron: say what it replaced
        st.success(classify.escape_markdown(store.import_note or "Model loaded.") + " To use it, switch to the "
                   "“Classify a photo” tab and choose “your own neuron”.")
