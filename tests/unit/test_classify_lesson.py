"""core.lessons.classify: training, accuracy against scikit-learn, classifying photos, own classes, model files."""

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix as sk_confusion

from core.data import images
from core.data.datasets import binary_task
from core.errors import InputError
from core.lessons import classify
from core.maths.logistic import gradient_descent, initialize_with_zeros, predict_proba, propagate
from core.maths.surfaces import hessian


@pytest.fixture(scope="module")
def faces():
    return binary_task("faces")


@pytest.fixture(scope="module")
def faces_result(faces):
    return classify.train_task(faces)


# ---------------------------------------------------------------- accuracy on the bundled faces


def test_default_face_model_reaches_95_percent_on_the_test_set(faces_result):
    assert faces_result.test_accuracy >= 0.95
    assert faces_result.status == "max_steps"
    assert faces_result.cost.shape == (classify.DEFAULT_ITERATIONS + 1,)


def test_default_face_model_matches_scikit_learn_on_the_same_split(faces, faces_result):
    """Same objective: J = mean log-loss + λ/(2m)‖w‖² is sklearn's with C = 1/λ (intercept not penalised).

    (C = inf is no reference here: the 160 training faces are linearly separable, so the unregularised
    cost has no minimum and sklearn's answer is wherever its solver stopped.)
    """
    ref = LogisticRegression(C=1.0 / classify.DEFAULT_LAMBDA, tol=1e-10, max_iter=10_000)
    ref.fit(faces.X_train.T, faces.Y_train.ravel())
    ref_test = ref.score(faces.X_test.T, faces.Y_test.ravel())
    assert abs(faces_result.test_accuracy - ref_test) <= 0.01
    assert abs(faces_result.train_accuracy - ref.score(faces.X_train.T, faces.Y_train.ravel())) <= 0.01
    # 2,000 steps of gradient descent end close to sklearn's minimum of the same J ...
    _, j_ref = propagate(ref.coef_.T, float(ref.intercept_[0]), faces.X_train, faces.Y_train,
                         lambd=classify.DEFAULT_LAMBDA)
    assert j_ref <= faces_result.cost[-1] < j_ref + 0.01
    # ... so the two give nearly the same probabilities on the test images
    ours = 1 / (1 + np.exp(-(faces_result.model.w.T @ faces.X_test + faces_result.model.b).ravel()))
    assert np.max(np.abs(ours - ref.predict_proba(faces.X_test.T)[:, 1])) < 0.1


@pytest.mark.parametrize("positive, negative", [(3, None), (3, 8)])
def test_digits_are_learned_too(positive, negative):
    res = classify.train_task(binary_task("digits", positive=positive, negative=negative))
    assert res.test_accuracy >= 0.95
    assert res.model.num_px == 8 and res.model.w.shape == (64, 1)


def test_confusion_matrix_of_the_result_counts_the_test_set(faces, faces_result):
    cm = faces_result.confusion_test
    assert cm.sum() == faces.X_test.shape[1]
    assert (cm[0, 0] + cm[1, 1]) / cm.sum() == pytest.approx(faces_result.test_accuracy)
    assert cm[1].sum() == faces.Y_test.sum()  # row 1 = the true faces


# ---------------------------------------------------------------- training in chunks


def small_problem(n_x=7, m=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    return X, Y


@settings(max_examples=25, deadline=None)
@given(iters=st.integers(0, 60), budget=st.integers(1, 200), lambd=st.sampled_from([0.0, 0.5]))
def test_chunks_give_exactly_one_uninterrupted_run(iters, budget, lambd):
    X, Y = small_problem()
    old = classify._ROWS_BUDGET
    classify._ROWS_BUDGET = budget  # tiny chunks: 1 to 28 steps each
    try:
        res = classify.train(X, Y, num_px=1, channels=1, class_names=("a", "b"), alpha=0.5,
                        num_iterations=iters, lambd=lambd)
    finally:
        classify._ROWS_BUDGET = old
    w0, b0 = initialize_with_zeros(7)
    ref = gradient_descent(w0, b0, X, Y, 0.5, iters, lambd=lambd)
    np.testing.assert_allclose(res.cost, ref.cost, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.model.w, ref.final_w, rtol=0, atol=1e-12)
    assert res.model.b == pytest.approx(ref.final_b, abs=1e-12)


def test_progress_is_reported_until_done():
    X, Y = small_problem()
    calls = []
    old = classify._ROWS_BUDGET
    classify._ROWS_BUDGET = 70  # 10 steps per chunk for n_x = 7
    try:
        classify.train(X, Y, num_px=1, channels=1, class_names=("a", "b"), num_iterations=35,
                  progress=lambda d, t: calls.append((d, t)))
    finally:
        classify._ROWS_BUDGET = old
    assert calls == [(10, 35), (20, 35), (30, 35), (35, 35)]


def test_zero_iterations_is_the_start_point():
    X, Y = small_problem()
    res = classify.train(X, Y, num_px=1, channels=1, class_names=("a", "b"), num_iterations=0)
    assert res.cost.shape == (1,) and res.cost[0] == pytest.approx(np.log(2))
    assert not res.model.w.any() and res.model.b == 0.0
    assert res.test_accuracy is None and res.confusion_test is None


def test_converged_run_says_so():
    X, Y = small_problem()
    res = classify.train(X, Y, num_px=1, channels=1, class_names=("a", "b"), alpha=1.0, num_iterations=20_000,
                    lambd=5.0)
    assert res.status == "converged" and res.message.startswith("Converged after")
    assert res.cost.size < 20_001


@pytest.mark.parametrize("n", [-1, 20_001, 2.5, True, "100"])
def test_bad_iterations(n):
    X, Y = small_problem()
    with pytest.raises(InputError, match="iterations"):
        classify.train(X, Y, num_px=1, channels=1, class_names=("a", "b"), num_iterations=n)


def test_trained_weights_are_read_only(faces_result):
    with pytest.raises(ValueError):
        faces_result.model.w[0, 0] = 1.0


def test_three_learning_rates(faces):
    runs = classify.compare_learning_rates(faces, num_iterations=200)
    assert [a for a, _ in runs] == list(classify.COMPARE_ALPHAS)
    assert all(r.cost.shape == (201,) for _, r in runs)
    # in the first 200 steps the smallest learning rate is the slowest
    assert runs[0][1].cost[-1] > runs[1][1].cost[-1]


# ---------------------------------------------------------------- small helpers


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=40))
def test_confusion_matrix_agrees_with_scikit_learn(pairs):
    y, p = np.array(pairs).T
    np.testing.assert_array_equal(classify.confusion_matrix(y[None], p[None]), sk_confusion(y, p, labels=[0, 1]))


def test_overfitting_note():
    assert classify.overfitting_note(1.0, 0.97) is None
    assert classify.overfitting_note(0.9, None) is None
    note = classify.overfitting_note(1.0, 0.7)
    assert "100.0%" in note and "70.0%" in note and "overfitting" in note   # as the metrics write them


# ---------------------------------------------------------------- classifying a photo


def photo(w=120, h=90, seed=1, mode="RGB"):
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    return Image.fromarray(arr).convert(mode)


def test_classify_image_is_sigmoid_of_the_preprocessed_vector(faces_result):
    model, im = faces_result.model, photo()
    pred = classify.classify_image(model, im, zoom=1.5, cx=0.3, cy=0.6)
    x = images.preprocess(images.crop_zoom(im, 1.5, 0.3, 0.6), 25, 1)  # (625, 1) in [0, 1]
    expected = 1 / (1 + np.exp(-(float(model.w[:, 0] @ x[:, 0]) + model.b)))
    assert pred.probability == pytest.approx(expected, rel=1e-12)
    assert pred.label == int(expected > 0.5) and pred.class_name == model.class_names[pred.label]
    assert pred.seen.shape == (25, 25) and pred.seen.dtype == np.uint8
    # the square it carries is the one crop_zoom cuts: the page shows it and never cuts it again
    np.testing.assert_array_equal(np.asarray(pred.square), np.asarray(images.crop_zoom(im, 1.5, 0.3, 0.6)))


def test_classify_colour_model_sees_colour():
    model = classify.Model(w=np.zeros((16 * 16 * 3, 1)), b=0.0, num_px=16, channels=3, class_names=("a", "b"))
    pred = classify.classify_image(model, photo(mode="L"))
    assert pred.seen.shape == (16, 16, 3) and pred.probability == 0.5 and pred.class_name == "a"


def test_bad_crop_is_a_student_message(faces_result):
    with pytest.raises(InputError, match="Zoom"):
        classify.classify_image(faces_result.model, photo(), zoom=0.5)


# ---------------------------------------------------------------- own classes


@pytest.mark.parametrize("name", ["hotdog", "not hotdog", "Café au lait", "Katze", "猫", "O'Brien's dog", "v2.0-b"])
def test_good_class_names(name):
    assert classify.check_class_name(name) == name


@pytest.mark.parametrize("raw", ["  hot   dog ", "hot\ndog", "hot\tdog"])
def test_class_name_whitespace_is_tidied(raw):
    assert classify.check_class_name(raw) == "hot dog"


@pytest.mark.parametrize("name", ["", "   ", "<b>x</b>", "[a](http://x)", "**bold**", "a_b", "x" * 31,
                                  "![i](u)", "$x$", "a\u202eb", 5, None])
def test_bad_class_names(name):
    with pytest.raises(InputError) as info:
        classify.check_class_name(name)
    assert "\n" not in str(info.value)


def test_two_names_must_differ():
    with pytest.raises(InputError, match="different"):
        classify.check_class_names("Cat", "cat")


def test_escape_markdown():
    assert classify.escape_markdown("a_b *c* [d](e) <f>") == r"a\_b \*c\* \[d\]\(e\) \<f\>"


def test_own_data_with_few_photos_trains_on_everything():
    data = classify.own_data([photo(seed=i) for i in range(5)], [photo(seed=10 + i) for i in range(6)],
                        num_px=16, channels=3)
    assert data.X_train.shape == (768, 11) and data.Y_train.shape == (1, 11)
    assert data.Y_train.sum() == 6 and data.X_test is None and data.Y_test is None
    assert "no test accuracy" in data.note
    assert 0.0 <= data.X_train.min() and data.X_train.max() <= 1.0


def test_own_data_with_enough_photos_keeps_a_fixed_test_set():
    group0 = [photo(seed=i) for i in range(10)]
    group1 = [photo(seed=20 + i) for i in range(12)]
    a = classify.own_data(group0, group1, num_px=16, channels=1)
    b = classify.own_data(group0, group1, num_px=16, channels=1)
    assert a.note is None
    assert a.X_test.shape == (256, 4) and a.Y_test.tolist() == [[0, 0, 1, 1]]
    assert a.X_train.shape == (256, 18)
    np.testing.assert_array_equal(a.X_test, b.X_test)  # deterministic


@pytest.mark.parametrize("counts", [(4, 5), (5, 0)])
def test_own_data_needs_five_per_class(counts):
    with pytest.raises(InputError, match="at least 5"):
        classify.own_data([photo()] * counts[0], [photo()] * counts[1], num_px=16)


def test_own_data_num_px_must_be_offered():
    with pytest.raises(InputError, match="image size"):
        classify.own_data([photo()] * 5, [photo()] * 5, num_px=1000)


def test_load_photo_keeps_it_small():
    from core.data.images import image_to_bytes_png
    im = classify.load_photo(image_to_bytes_png(photo(1000, 600)))
    assert im.size == (427, 256) and im.mode == "RGB"     # the shorter side 256: the centre square keeps 256 px
    assert classify.load_photo(image_to_bytes_png(photo(2000, 700))).size == (512, 179)  # the longer side 512
    # but not below 64 px on the shorter side (the largest image size): a 2000 × 100 banner was kept at 512 × 26,
    # and the neuron trained on a 26 px square blown up to 64
    assert classify.load_photo(image_to_bytes_png(photo(2000, 100))).size == (1280, 64)
    assert classify.load_photo(image_to_bytes_png(photo(1000, 50))).size == (1000, 50)    # never enlarged


# ---------------------------------------------------------------- model files


@settings(max_examples=20, deadline=None)
@given(num_px=st.integers(1, 12), channels=st.sampled_from([1, 3]), seed=st.integers(0, 1000))
def test_model_file_round_trip_is_exact(num_px, channels, seed):
    rng = np.random.default_rng(seed)
    n_x = num_px * num_px * channels
    model = classify.Model(w=rng.normal(0, 10, (n_x, 1)), b=float(rng.normal()), num_px=num_px, channels=channels,
                      class_names=("not hotdog", "hotdog"),
                      settings={"alpha": 0.1, "iterations": 2000, "lambd": 1.0, "source": "your photos"})
    back = classify.model_from_json(classify.model_to_json(model))
    np.testing.assert_array_equal(back.w, model.w)
    assert back.w.dtype == np.float64 and back.w.shape == (n_x, 1)
    assert (back.b, back.num_px, back.channels, back.class_names, back.settings) == \
        (model.b, num_px, channels, model.class_names, model.settings)


def test_trained_model_round_trips_and_classifies_the_same(faces_result):
    back = classify.model_from_json(classify.model_to_json(faces_result.model))
    im = photo()
    assert classify.classify_image(back, im).probability == classify.classify_image(faces_result.model, im).probability


def good_doc():
    return json.loads(classify.model_to_json(classify.Model(w=np.ones((12, 1)), b=0.5, num_px=2, channels=3,
                                                  class_names=("cat", "dog"), settings={"alpha": 0.1})))


def dumps(doc):
    return json.dumps(doc).encode()


def edit(**changes):
    doc = good_doc()
    for key, value in changes.items():
        if value is KeyError:
            del doc[key]
        else:
            doc[key] = value
    return dumps(doc)


BAD_FILES = {
    "empty": b"",
    "too big": b" " * (classify.MAX_MODEL_BYTES + 1),
    "not utf-8": b"\xff\xfe\x00garbage",
    "not json": b"hello",
    "truncated": dumps(good_doc())[:50],
    "a png": images.image_to_bytes_png(photo(8, 8)),
    "a pickle": b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00]\x94.",
    "an npz": b"PK\x03\x04" + b"\x00" * 60,
    "a list": b"[1, 2, 3]",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "NaN constant": dumps(good_doc()).replace(b'"b": 0.5', b'"b": NaN'),
    "Infinity constant": dumps(good_doc()).replace(b'"b": 0.5', b'"b": -Infinity'),
    "overflowing number": dumps(good_doc()).replace(b'"b": 0.5', b'"b": 1e999'),
    "huge integer": dumps(good_doc()).replace(b'"b": 0.5', b'"b": ' + b"9" * 5000),
    "other format": edit(format="keras"),
    "other version": edit(version=2),
    "missing w": edit(w=KeyError),
    "extra key": edit(code="import os"),
    "num_px zero": edit(num_px=0),
    "num_px huge": edit(num_px=100_000),
    "num_px float": edit(num_px=2.0),
    "num_px bool": edit(num_px=True),
    "channels 2": edit(channels=2),
    "w too short": edit(w=[1.0] * 11),
    "w nested": edit(w=[[1.0]] * 12),
    "w strings": edit(w=["1"] * 12),
    "w bools": edit(w=[True] * 12),
    "b string": edit(b="0.5"),
    "b null": edit(b=None),
    "three classes": edit(class_names=["a", "b", "c"]),
    "class name html": edit(class_names=["<img src=x onerror=alert(1)>", "dog"]),
    "class name markdown": edit(class_names=["[click](javascript:alert(1))", "dog"]),
    "class names equal": edit(class_names=["dog", "Dog"]),
    "class name number": edit(class_names=[1, "dog"]),
    "settings unknown key": edit(settings={"alpha": 0.1, "evil": 1}),
    "settings negative": edit(settings={"lambd": -1.0}),
    "settings iterations float": edit(settings={"iterations": 1.5}),
    "settings source control chars": edit(settings={"source": "a\x1bb"}),
    "settings not a dict": edit(settings=[1]),
}


@pytest.mark.parametrize("data", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_model_files_are_refused_with_one_sentence(data):
    with pytest.raises(InputError) as info:
        classify.model_from_json(data)
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 200


def test_no_model_file_is_unpickled(monkeypatch):
    import pickle

    def boom(*args, **kwargs):
        raise AssertionError("pickle must never be used on a model file")

    monkeypatch.setattr(pickle, "loads", boom)
    monkeypatch.setattr(pickle, "load", boom)
    for data in BAD_FILES.values():
        with pytest.raises(InputError):
            classify.model_from_json(data)


# ---------------------------------------------------------------- page settings


def test_params_from_the_url():
    p, notes = classify.ClassifyParams.parse({"data": "digits", "digit": "7", "alpha": "0.3", "iters": "abc"})
    assert (p.data, p.digit, p.alpha, p.iters) == ("digits", 7, 0.3, classify.DEFAULT_ITERATIONS)
    assert notes == [f"iters=abc is not a number; using {classify.DEFAULT_ITERATIONS}."]
    assert classify.ClassifyParams.from_query(p.to_query()) == p


def test_bundled_task_of_the_params():
    task = classify.bundled_task(classify.ClassifyParams(data="digits", digit=3, versus="8"))
    assert task.class_names == ("8", "3")
    assert classify.bundled_task(classify.ClassifyParams()).class_names == ("not a face", "face")


def test_widget_choices_include_the_defaults():
    assert classify.DEFAULT_ALPHA in classify.ALPHA_CHOICES and classify.DEFAULT_LAMBDA in classify.LAMBDA_CHOICES
    assert classify.DEFAULT_ITERATIONS in classify.ITERATION_CHOICES
    assert max(classify.ITERATION_CHOICES) == classify.MAX_ITERATIONS


def test_samples_and_example_steps(faces):
    (name1, imgs1), (name0, imgs0) = classify.class_samples(faces)
    assert (name1, name0) == ("face", "not a face") and len(imgs1) + len(imgs0) == faces.X_train.shape[1]
    steps = classify.example_steps(faces)
    assert steps["flat"].shape == (625, 1)
    first_face = int(np.flatnonzero(faces.Y_train[0] == 1)[0])
    np.testing.assert_allclose(steps["scaled"], faces.X_train[:, [first_face]])


def test_own_samples_are_square_colour_tiles():
    groups = classify.own_samples(("a", "b"), [[photo(30, 60)], [photo(), photo(seed=2)]])
    assert [(n, s.shape) for n, s in groups] == [("b", (2, 48, 48, 3)), ("a", (1, 48, 48, 3))]
    assert classify.own_samples(("a", "b"), [[], []])[0][1].shape == (0, 48, 48, 3)


# ---------------------------------------------------------------- three rates from the curvature of the data


def test_steepest_curvature_bounds_the_hessian_everywhere():
    """σ'(z) ≤ 1/4, so H(w) ≼ H(0): λ_max at w = 0 is the largest anywhere (checked at random points)."""
    task = classify.bundled_task(classify.ClassifyParams(data="digits", digit=3, versus="8"))
    lam = classify.steepest_curvature(task, 1.0)
    X, Y = task.X_train, task.Y_train
    rng = np.random.default_rng(0)
    for _ in range(5):
        w = rng.normal(0, 0.5, (X.shape[0], 1))
        H = hessian(w, float(rng.normal()), X, Y, "sigmoid", "log", 1.0)
        assert np.linalg.eigvalsh(H)[-1] <= lam + 1e-12
    # and λ_max by finite differences of the gradient along the top eigenvector at w = 0
    H0 = hessian(np.zeros((X.shape[0], 1)), 0.0, X, Y, "sigmoid", "log", 1.0)
    v = np.linalg.eigh(H0)[1][:, -1]
    h = 1e-5
    def g(t):
        return np.append(*(lambda gr: (gr["dw"][:, 0], gr["db"]))(
            propagate(t[:-1, None], t[-1], X, Y, "sigmoid", "log", 1.0)[0]))
    assert v @ (g(h * v) - g(-h * v)) / (2 * h) == pytest.approx(lam, rel=1e-6)


@pytest.mark.parametrize("data, digit, versus", [("faces", 0, "rest"), ("digits", 3, "8"), ("digits", 0, "rest")])
def test_three_rates_crawl_fall_and_jump(data, digit, versus):
    task = classify.bundled_task(classify.ClassifyParams(data=data, digit=digit, versus=versus))
    lam, runs = classify.rates_from_curvature(task, 2000, 1.0)
    small, good, big = runs
    assert small.alpha < good.alpha < 2 / lam < big.alpha
    assert small.rises == 0 and good.rises == 0                  # below 2/λ_max J never rises
    assert big.rises > 0 and big.result.cost.max() > big.result.cost[0]   # the large one jumps past the bottom
    assert small.result.cost[-1] > good.result.cost[-1] + 0.01    # the small one crawls
    words = classify.describe_rates(lam, runs)
    assert "crawls" in words[1] and "falls at every step" in words[2] and "is too large" in words[3]
    assert f"{big.rises} of the steps" in words[3]
    # a rate called too large may still end lowest: the sentence then says so and why, not only "it ends at"
    ends_lowest = big.result.cost[-1] <= min(r.result.cost[-1] for r in runs)
    assert ("yet it ends lowest of the three" in words[3]) == ends_lowest
    if ends_lowest:
        last = int(np.nonzero(np.diff(big.result.cost) > 1e-12)[0][-1]) + 1
        assert f"after step {last} (its last jump)" in words[3] and last < big.result.cost.size // 10


def test_generalisation_note_is_the_counterpart_of_the_overfitting_note():
    assert classify.generalisation_note(1.0, 0.975) == (
        "Train accuracy 100.0%, test accuracy 97.5%: a gap of 2.5 points, under 5, so no sign of overfitting "
        "here: the neuron does about as well on images it has never seen.")
    assert classify.generalisation_note(1.0, 0.7) is None and classify.overfitting_note(1.0, 0.7)
    assert classify.generalisation_note(0.9, None) is None


def test_a_negative_gap_is_said_as_negative_with_a_real_minus_sign():
    """Digits 3 against the rest: train 98.1%, test 98.9%. The page said "a gap of -0.8 points, under 5", a
    negative number read as a small positive gap, with a hyphen for a minus."""
    note = classify.generalisation_note(0.9805, 0.9889)
    assert "a gap (train − test) of −0.8 points" in note and "-0.8" not in note and "under 5" not in note
    assert "better on the test images" in note and "no sign of overfitting" in note
    # rounding to nothing is a gap of 0.0, not "-0.0"
    assert "a gap of 0.0 points" in classify.generalisation_note(0.9, 0.9004)


def test_a_negative_gap_is_worded_by_its_size():
    """"a gap (train − test) of −21.7 points: the neuron does even a little better on the test images" said a
    gap of 21.7 points in the words of one of 0.8."""
    assert "even a little better" in classify.generalisation_note(0.9805, 0.9889)
    three = classify.generalisation_note(0.95, 0.98)
    assert "a gap (train − test) of −3.0 points: the neuron does better on the test" in three
    big = classify.generalisation_note(0.783, 1.0, unit="photos")
    assert "a gap (train − test) of −21.7 points: the neuron does much better on the test photos" in big
    assert "a little" not in big and "easier than the training ones" in big and "With only" not in big


def test_a_gap_on_a_tiny_test_set_says_what_one_example_moves():
    """With 5 test photos one photo moves the test accuracy by 20 points: a gap of that size says little."""
    note = classify.generalisation_note(0.783, 1.0, m_test=5, unit="photos")
    assert note.endswith(" With only 5 test photos, one photo moves the test accuracy by 20 points, so a gap this "
                         "size can come from one or two of them.")
    assert "With only" in classify.overfitting_note(1.0, 0.8, m_test=5, unit="photos")
    assert "With only" not in classify.generalisation_note(0.9, 0.9, m_test=10)


def test_the_overfitting_note_writes_the_accuracies_as_the_metrics_do():
    """Metrics beside it said 92.5 % while the warning said "test accuracy (92%)"."""
    note = classify.overfitting_note(1.0, 0.925)
    assert note.startswith("Train accuracy (100.0%) is well above test accuracy (92.5%)")
    assert "training photos" in classify.overfitting_note(1.0, 0.925, unit="photos")


@pytest.mark.parametrize("task, names", [
    (("faces",), ("not a face", "face")),
    (("digits", 3), ("not 3", "3")),
    (("digits", 3, 8), ("8", "3")),
])
def test_weights_caption_names_the_class_each_colour_pushes_towards(task, names):
    """y = 1 is class_names[1] in every bundled task (faces: "face"; digits: the chosen digit); w > 0 (purple)
    pushes a = σ(wᵀx + b) towards 1, so purple means class_names[1]. The caption once said "(the second class)"
    while the data grid shows class 1 first."""
    t = binary_task(*task)
    assert t.class_names == names
    y1 = t.images_train[t.Y_train[0] == 1]
    assert (classify.class_samples(t)[0][0], len(classify.class_samples(t)[0][1])) == (names[1], len(y1))
    model = classify.train_task(t).model
    a = (1 / (1 + np.exp(-(model.w.T @ t.X_train + model.b))))[0]
    assert np.mean(a[t.Y_train[0] == 1] > 0.5) > 0.75    # most images of class_names[1] (y = 1) get a near 1
    assert np.mean(a[t.Y_train[0] == 0] < 0.5) > 0.9
    caption = classify.weights_caption(names)
    assert f"purple pixels (w > 0) push a towards 1, “{names[1]}” (y = 1)" in caption
    assert f"orange ones (w < 0) push a towards 0, “{names[0]}” (y = 0)" in caption
    assert "second class" not in caption and "first class" not in caption


# ---------------------------------------------------------------- the face finder's rule for one crop


def _holds(comparison, a):
    """Evaluate a comparison such as "0.801 ≤ a < 0.916" or "a ≥ 0.916" at a (the numbers as shown)."""
    import re
    expr = comparison.split(",")[0].replace("≤", "<=").replace("≥", ">=").replace("a", repr(float(a)))
    assert re.fullmatch(r"[\d.\s<>=]+", expr), expr
    return eval(expr)   # noqa: S307 (digits and comparisons only, checked above)


def test_the_face_finders_rule_is_stated_with_its_own_threshold_and_band():
    """tests/fixtures/face.jpg's crop got a = 0.576 → "not a face" and cat.jpg's a = 0.873 → "unsure", with no
    rule in sight while the Train tab teaches a > 0.5: the rule is the neuron's threshold (0.869 for edges) and
    its unsure band (0.801 to 0.916), and verdict_rule says so with the numbers."""
    from core.lessons import face_training
    neuron = face_training.load_bundled()["edges"].neuron
    low, high = neuron.unsure
    assert low < neuron.threshold < high and f"{neuron.threshold:.3f}" == "0.869"
    assert neuron.verdict_rule(0.576)[0] == f"a < {low:.3f}" and neuron.verdict(0.576) == "not a face"
    assert neuron.verdict_rule(0.873)[0] == f"{low:.3f} ≤ a < {high:.3f}" and neuron.verdict(0.873) == "unsure"
    assert neuron.verdict_rule(0.96)[0] == f"a ≥ {high:.3f}" and neuron.verdict(0.96) == "face"
    rule = neuron.verdict_rule(0.873)[1]
    assert (f"a face when a ≥ {high:.3f}, unsure when {low:.3f} ≤ a < {high:.3f}, not a face when a < {low:.3f}"
            in rule)
    assert f"Not 0.5: its threshold, {neuron.threshold:.3f}, was chosen on validation photos" in rule


@pytest.mark.parametrize("threshold, unsure", [(0.869, (0.801, 0.916)), (0.5, (0.4, 0.6)), (0.5, (0.5, 0.5)),
                                               (0.3, (0.6, 0.7))])
def test_the_comparison_shown_always_holds_for_the_numbers_shown(threshold, unsure):
    """Right at the band's ends, 3 decimals would show "a = 0.916" beside "a < 0.916": more are shown then."""
    from core.lessons import detector
    neuron = detector.Neuron("pixels", np.zeros((625, 1)), 0.0, threshold, unsure)
    edges = [threshold, *unsure]
    for a in [*np.linspace(0, 1, 201), *(e + d for e in edges for d in (-1e-5, -1e-4, 0.0, 1e-5, 1e-4))]:
        a = float(np.clip(a, 0, 1))
        comparison, rule = neuron.verdict_rule(a)
        assert _holds(comparison, a), (a, comparison)
        assert comparison in rule


# ---------------------------------------------------------------- OwnClasses: the user's classes in one session


def png(seed, size=(64, 48)):
    return images.image_to_bytes_png(photo(*size, seed=seed))


def test_own_classes_read_each_upload_once_and_count_per_class():
    own = classify.OwnClasses()
    assert own.counts == (0, 0) and own.model is None and own.names == ("not hotdog", "hotdog")
    assert own.add(1, png(1), upload_id="a") and not own.add(1, png(1), upload_id="a")   # same upload: once
    assert own.add(0, png(2))                                                               # the camera: no id
    assert own.counts == (1, 1) and max(own.images[1][0].size) <= 256


def test_a_full_class_refuses_more_photos_in_one_sentence(monkeypatch):
    monkeypatch.setattr(classify, "MAX_IMAGES_PER_CLASS", 2)
    own = classify.OwnClasses()
    own.add(0, png(1), "a")
    own.add(0, png(2), "b")
    with pytest.raises(InputError, match="at most 2 photos"):
        own.add(0, png(3), "c")
    assert own.counts == (2, 0)


def test_an_unreadable_photo_is_refused_and_nothing_is_kept():
    own = classify.OwnClasses()
    with pytest.raises(InputError):
        own.add(0, b"not a photo", "x")
    assert own.counts == (0, 0)


def test_clearing_a_class_gives_a_new_uploader():
    own = classify.OwnClasses()
    own.add(0, png(1), "a")
    own.add(1, png(2), "b")
    own.clear(0)
    assert own.counts == (0, 1) and own.generations == [1, 0]   # only the cleared class's uploader is new


def test_own_classes_train_a_neuron_named_after_them():
    own = classify.OwnClasses(names=("day", "night"))
    for k in range(5):
        own.add(0, images.image_to_bytes_png(Image.new("RGB", (40, 40), (20 + k, 20, 20))))
        own.add(1, images.image_to_bytes_png(Image.new("RGB", (40, 40), (230 - k, 230, 230))))
    res = own.train(16, 1, alpha=0.1, iters=200, lambd=0.0)
    assert own.result is res and own.model is res.model and own.model.class_names == ("day", "night")
    assert res.train_accuracy == 1.0 and own.note is not None      # too few photos for a test set: said


def test_too_few_photos_to_train_is_one_sentence_and_keeps_the_old_model():
    own = classify.OwnClasses()
    with pytest.raises(InputError):
        own.train(16, 1, alpha=0.1, iters=10, lambd=0.0)
    assert own.model is None and own.result is None


def test_a_model_file_is_read_once_and_renames_the_classes(faces_result):
    own = classify.OwnClasses()
    data = classify.model_to_json(faces_result.model)
    assert own.import_model("f1", data) and own.model.class_names == faces_result.model.class_names
    assert own.names == faces_result.model.class_names and own.renamed and own.result is None
    assert not own.import_model("f1", data)                           # the same upload again: nothing new


def test_a_model_file_replaces_only_the_neuron_when_the_classes_have_photos(faces_result):
    """Importing a dogs-vs-cats model renamed the student's classes of photos of people ("Photos of dogs" over
    their photos) and replaced their trained neuron without a word."""
    own = classify.OwnClasses(names=("others", "me"))
    for k in range(5):
        own.add(0, images.image_to_bytes_png(Image.new("RGB", (40, 40), (20 + k, 20, 20))))
        own.add(1, images.image_to_bytes_png(Image.new("RGB", (40, 40), (230 - k, 230, 230))))
    own.train(16, 1, alpha=0.1, iters=20, lambd=0.0)
    imported = replace(faces_result.model, class_names=("cats", "dogs"))
    assert own.import_model("f1", classify.model_to_json(imported))
    assert own.names == ("others", "me") and not own.renamed and own.counts == (5, 5)
    assert own.model.class_names == ("cats", "dogs") and own.result is None
    assert own.import_note == ("Imported a neuron that tells “dogs” (y = 1) from “cats” (y = 0): it replaced the "
                               "neuron you trained; your photos and your classes' names are unchanged.")
    assert own.import_model("f2", classify.model_to_json(faces_result.model))
    assert "it replaced the neuron imported before" in own.import_note


def test_a_model_file_names_two_empty_classes_and_says_so(faces_result):
    own = classify.OwnClasses()
    own.import_model("f1", classify.model_to_json(faces_result.model))
    assert own.names == faces_result.model.class_names and own.renamed
    assert own.import_note.endswith(": your two classes, still empty, now have its names.")


def test_a_bad_model_file_keeps_the_old_model_and_says_why(faces_result):
    own = classify.OwnClasses()
    own.import_model("f1", classify.model_to_json(faces_result.model))
    model = own.model
    assert not own.import_model("f2", b"{}")
    assert own.model is model and own.import_error and "\n" not in own.import_error


# ---------------------------------------------------------------- the review of the training side


def test_own_photos_are_cut_to_their_centre_square_for_training_as_for_classifying():
    """Six 192 × 64 photos per class trained to 100% (J = 0.0068), yet one of them, classified, got a = 0.609,
    "hotdog", for a "not hotdog" photo (0.002 on the image trained on): training squashed each whole photo into a
    square, classifying cut its centre square. Both cut the centre square now, so each photo keeps its a."""
    own = classify.OwnClasses()
    for label in (0, 1):
        for k in range(6):
            assert own.add(label, png(100 * label + k, size=(192, 64)))
    res = own.train(32, 3, alpha=0.01, iters=2000, lambd=1.0)
    assert res.train_accuracy == 1.0
    data = classify.own_data(*own.images, num_px=32, channels=3)
    trained_a = predict_proba(res.model.w, res.model.b, data.X_train)[0]          # a of each training column
    for label, group in enumerate(own.images):
        for im in group:
            x = images.preprocess(images.crop_zoom(im), 32, 3)
            assert any(np.array_equal(x[:, 0], col) for col in data.X_train.T)  # trained on its centre square
            pred = classify.classify_image(res.model, im)
            assert np.isclose(trained_a, pred.probability, rtol=0, atol=1e-12).any() and pred.label == label


def three_vs_all_barely_trained():
    """Digits 3 against all the others, α 0.001, 100 steps, λ 0: the neuron never says 3 (test [[323, 0], [37, 0]])."""
    task = classify.bundled_task(classify.ClassifyParams(data="digits", digit=3, versus="rest"))
    return task, classify.train_task(task, 0.001, 100, 0.0)


def test_a_neuron_that_answers_one_class_is_compared_with_always_answering_it():
    """It read "Train accuracy 89.8%, test accuracy 89.7%: … no sign of overfitting here" while the neuron never
    said 3: always answering "not 3" scores the same."""
    _, res = three_vs_all_barely_trained()
    assert res.confusion_test.tolist() == [[323, 0], [37, 0]]
    assert classify.baseline(res.confusion_test) == (0, pytest.approx(323 / 360))
    assert not classify.learned(res)
    learned, words = classify.baseline_note(res)
    assert not learned
    assert words.startswith("The neuron has not learned to tell “3” from “not 3”: always answering “not 3” would "
                            "score 89.7% on the test images, and it scores 89.7%")
    assert "It answers “not 3” for every one of the 360 test images and never says “3”." in words


def test_a_neuron_that_learned_is_compared_with_the_baseline_too(faces_result):
    learned, words = classify.baseline_note(faces_result)
    assert learned and words == ("For comparison, always answering either class would score 50.0% on the test "
                                 "images; the neuron scores 97.5%.")
    assert classify.one_class_answer(faces_result.confusion_test, ("a", "b"), "test", "images") is None


def test_the_three_rates_say_when_a_legends_train_accuracy_is_only_the_baseline():
    task, _ = three_vs_all_barely_trained()
    lam, runs = classify.rates_from_curvature(task, 100, 0.0)
    idle = [r for r in runs if not classify.learned(r.result)]
    assert [r.factor for r in idle] == [0.05]
    words = classify.describe_rates(lam, runs)
    assert words[-1] == ("Always answering “not 3” would score 89.8% on the training images, so the legend's train "
                         f"accuracy of 89.8% for α = {idle[0].alpha:g} is no better: that rate has not learned to "
                         "tell “3” from “not 3”.")


@pytest.fixture(scope="module")
def faces_too_fast(faces):
    """Faces, α 3, λ 10: α is 44 × 2/λ_max; J rises at 1256 of 2000 steps and ends at 23.05 (20,000 steps: 23.14)."""
    return classify.train_task(faces, 3.0, 2000, 10.0)


def test_a_run_whose_cost_did_not_fall_says_the_rate_is_too_large(faces, faces_too_fast):
    """It said "Ran all 20000 steps; J = 23.14" with J above J(0) = 0.6931 at the end, rising at 12,506 steps."""
    res = faces_too_fast
    two_over_lam = 2 / classify.steepest_curvature(faces, 10.0)
    assert 3.0 > 40 * two_over_lam and res.cost[-1] > res.cost[0] and classify.rise_count(res.cost) == 1256
    assert res.message == (
        "Ran all 2000 steps, but J ends at 23.05, above J = 0.6931 at the start: it rose at 1256 of the steps. "
        "The learning rate α = 3 is too large: its steps jump past the bottom of the cost basin. Try a smaller α: "
        f"below 2/λ_max = {two_over_lam:.2g} no step can make J rise.")
    assert f"{two_over_lam:.2g}" == "0.067"
    assert "falling" not in classify.cost_curve_words(res.cost)
    assert classify.cost_curve_words(res.cost).startswith("The cost J against the iteration: it did not fall")
    # and it learned nothing: train accuracy at the majority baseline, so no word on overfitting from the page
    assert not classify.learned(res) and not classify.baseline_note(res)[0]


def test_a_few_rises_on_the_way_down_are_not_a_too_large_rate(faces_result):
    """The faces' default α (1.5 × 2/λ_max) makes J rise at 5 of 2000 steps and ends at 0.08: a plain ending."""
    assert classify.rise_count(faces_result.cost) == 5 and not classify.rate_too_large(faces_result.cost)
    assert faces_result.message == "Ran all 2000 steps; J = 0.08024."
    assert classify.cost_curve_words(faces_result.cost) == "The cost J against the iteration, falling to 0.0802."


def test_without_lam_max_the_advice_is_a_smaller_rate():
    X, Y = small_problem()
    res = classify.train(X, Y, num_px=1, channels=1, class_names=("a", "b"), alpha=200.0, num_iterations=50,
                         lambd=0.0)
    if res.status == "max_steps":
        assert classify.rate_too_large(res.cost) and res.message.endswith("Try a smaller learning rate α.")
    else:
        assert res.message.endswith("try a smaller learning rate α.")
    assert classify.cost_curve_words(np.array([0.69])) == "The cost J at the start, 0.6900: no steps were run."


def test_converging_at_the_start_says_nothing_was_learned():
    """The same five photos in both classes: "Converged after 0 steps", train 50%, as if all were well."""
    own = classify.OwnClasses()
    for k in range(5):
        own.add(0, png(k))
        own.add(1, png(k))
    res = own.train(16, 1, alpha=0.1, iters=200, lambd=1.0)
    assert res.status == "converged" and res.message.startswith("Converged after 0 steps")
    assert "the neuron learned nothing" in res.message
    assert not classify.learned(res) and not classify.baseline_note(res, "photos")[0]


class Box:
    """A stand-in for one st.file_uploader: its files as (upload id, name, read), read() counted."""

    def __init__(self):
        self.files, self.reads = [], 0

    def put(self, uid, data, name=None):
        def read():
            self.reads += 1
            return data
        self.files.append((uid, name or f"{uid}.png", read))

    def take(self, uid):
        self.files = [f for f in self.files if f[0] != uid]


def test_a_removed_file_takes_its_photo_with_it_and_a_file_added_back_counts_once():
    """Removing a file's chip (×) kept its photo (4 chips, still 5 photos); adding it back gave a silent duplicate."""
    own, box = classify.OwnClasses(), Box()
    for k in range(5):
        box.put(f"f{k}", png(k))
    assert own.sync(0, box.files) == [] and own.counts == (5, 0) and box.reads == 5
    assert own.sync(0, box.files) == [] and box.reads == 5                        # each file is read once
    box.take("f3")
    own.sync(0, box.files)
    assert own.counts == (4, 0) and [p.name for p in own.photos[0]] == ["f0.png", "f1.png", "f2.png", "f4.png"]
    box.put("f3b", png(3), "f3.png")                                               # the same file, back again
    own.sync(0, box.files)
    assert own.counts == (5, 0)
    box.put("f3c", png(3), "copy.png")                                             # and once more: counts once
    notes = own.sync(0, box.files)
    assert own.counts == (5, 0)
    assert notes == [("duplicate", "copy.png is the same photo as f3.png, already in this class, so it counts once.")]
    box.take("f3b")                                                                # the copy now stands for it
    assert own.sync(0, box.files) == [] and own.counts == (5, 0)


def test_copies_of_one_photo_hold_its_pixels_once():
    """200 uploads of one photo kept 200 decoded copies (about 79 MB for one student): each copy's file keeps its
    name for the notes, and shares the photo's pixels; the copy that takes over a removed photo keeps them too."""
    own, box = classify.OwnClasses(), Box()
    for k in range(30):
        box.put(f"c{k}", png(7), f"copy{k}.png")
    notes = own.sync(0, box.files)
    assert own.counts == (1, 0) and len(notes) == 29 and notes[4][1].startswith("copy5.png is the same photo as")
    assert len({id(r.image) for r in own.reads[0].values()}) == 1
    assert own.sync(0, box.files) == notes and box.reads == 30                       # each file still read once
    box.take("c0")                                                                   # the kept one's × clicked
    own.sync(0, box.files)
    assert own.counts == (1, 0) and own.photos[0][0].name == "copy1.png"
    assert len({id(r.image) for r in own.reads[0].values()}) == 1


def test_a_tiny_photo_is_kept_with_a_word_on_what_it_adds():
    """A 12 × 12 photo (and a 1 × 1 one) joined a class without a word; a 32 × 40 one needs none."""
    from PIL import Image

    from core.data.images import image_to_bytes_png
    own, box = classify.OwnClasses(), Box()
    box.put("tiny", image_to_bytes_png(Image.new("RGB", (12, 12), (200, 30, 30))), "tiny.png")
    box.put("ok", image_to_bytes_png(Image.new("RGB", (32, 40), (30, 200, 30))), "ok.png")
    notes = own.sync(0, box.files)
    assert own.counts == (2, 0)
    assert notes == [("small", "tiny.png is only 12 × 12 pixels: the neuron sees it blown up to its image size, so "
                               "it adds little. A larger photo of the same thing would help more.")]
    assert own.sync(0, box.files) == notes                          # said again while the file is in the box
    box.take("tiny")
    assert own.sync(0, box.files) == [] and own.counts == (1, 0)

def test_a_refused_file_says_why_for_as_long_as_it_is_in_the_box():
    """"notes.jpg: This file is not an image Basin can read…" disappeared on the next rerun; its chip stayed."""
    own, box = classify.OwnClasses(), Box()
    box.put("good", png(1))
    box.put("bad", b"Dear diary", "notes.jpg")
    first = own.sync(0, box.files)
    assert [k for k, _ in first] == ["refused"] and first[0][1].startswith("notes.jpg: This file is not an image")
    assert own.sync(0, box.files) == first and own.sync(1, []) == [] and own.sync(0, box.files) == first
    assert box.reads == 2                                                          # and it was read once
    box.take("bad")
    assert own.sync(0, box.files) == [] and own.counts == (1, 0)


def test_photos_of_an_emptied_box_are_kept_and_a_file_that_is_one_of_them_takes_it_over():
    """Streamlit empties an uploader when the page is left: the photos stay (fresh), and are no longer the box's."""
    own, box = classify.OwnClasses(), Box()
    for k in range(3):
        box.put(f"f{k}", png(k))
    own.sync(0, box.files)
    own.add(0, png(9))                                                             # a camera photo
    assert not own.add(0, png(9))                                                  # the same shot again: once
    assert own.sync(0, [], fresh=True) == [] and own.counts == (4, 0)
    assert all(p.upload_id is None for p in own.photos[0])
    again = Box()
    again.put("g1", png(1))                                                        # one of them, uploaded again
    own.sync(0, again.files)
    assert own.counts == (4, 0) and own.photos[0][1].upload_id == "g1"
    again.take("g1")                                                               # its × now removes it
    own.sync(0, again.files)
    assert own.counts == (3, 0)


def test_a_full_class_says_so_while_the_files_are_in_the_box(monkeypatch):
    monkeypatch.setattr(classify, "MAX_IMAGES_PER_CLASS", 2)
    own, box = classify.OwnClasses(), Box()
    for k in range(3):
        box.put(f"f{k}", png(k))
    notes = own.sync(0, box.files)
    assert own.counts == (2, 0) and notes == [("full", "Each class holds at most 2 photos; the rest were skipped.")]
    assert own.sync(0, box.files) == notes


def test_a_photo_in_both_classes_is_named():
    own = classify.OwnClasses()
    zero, one = Box(), Box()
    for k in range(5):
        zero.put(f"a{k}", png(k), f"p{k}.png")
        one.put(f"b{k}", png(k if k < 2 else 10 + k), f"q{k}.png")
    own.sync(0, zero.files)
    own.sync(1, one.files)
    assert own.in_both() == [("p0.png", "q0.png"), ("p1.png", "q1.png")]
    assert own.in_both_note() == (
        "2 photos are in both classes (p0.png in “not hotdog” is q0.png in “hotdog”; p1.png in “not hotdog” is "
        "q1.png in “hotdog”): the neuron cannot learn two answers for one photo. Remove each from one of the "
        "classes.")
    one.take("b0")
    one.take("b1")
    own.sync(1, one.files)
    assert own.in_both() == [] and own.in_both_note() is None


def test_a_result_of_other_photos_is_marked_stale():
    """After training and adding photos, the old result and its note ("With fewer than 10 images … no test
    accuracy yet") stayed, as if they were about the photos now."""
    own = classify.OwnClasses()
    for k in range(5):
        own.add(0, png(k))
        own.add(1, png(20 + k))
    own.train(16, 1, alpha=0.1, iters=100, lambd=1.0)
    assert not own.stale
    own.add(1, png(40))
    assert own.stale
    assert own.stale_note() == (
        "These results are from your last training, on the photos you had then (5 of hotdog and 5 of not hotdog); "
        "the photos have changed since (now 6 and 5), so press “Train on my photos” to see what the neuron learns "
        "from the photos you have now.")
    own.train(16, 1, alpha=0.1, iters=100, lambd=1.0)
    assert not own.stale


def test_the_sizes_the_accuracies_rest_on_are_said():
    own = classify.OwnClasses()
    for k in range(10):
        own.add(0, png(k))
        own.add(1, png(20 + k))
    res = own.train(16, 1, alpha=0.1, iters=100, lambd=1.0)
    assert classify.sizes_note(res, "photos") == "Measured on m_train = 16 training photos and m_test = 4 test photos."
    assert classify.small_test_note(res, "photos") == (
        "The test accuracy rests on only 4 test photos: one photo is 25% of it, so take it as a rough guide; more "
        "photos give a steadier number.")
    few = classify.train(*small_problem(), num_px=1, channels=1, class_names=("a", "b"), num_iterations=5)
    assert classify.sizes_note(few) == ("Measured on m_train = 30 training images; there are no test images, so "
                                        "m_test = 0.")
    assert classify.small_test_note(few) is None
