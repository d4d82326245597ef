"""Tests of core/data/datasets.py and of the bundled files in data/.

scikit-learn and scikit-image are development dependencies: they are imported
inside the tests that compare against them, never by core/.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from core.data import datasets
from core.data.datasets import (
    ONE_FEATURE_SETS,
    binary_task,
    is_separable,
    load_images,
    one_feature,
)
from core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- the module stays light


def test_core_datasets_imports_only_numpy_and_stdlib():
    source = (ROOT / "core" / "data" / "datasets.py").read_text()
    for banned in ("streamlit", "sklearn", "skimage", "pandas", "plotly"):
        assert f"import {banned}" not in source and f"from {banned}" not in source


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


# ---------------------------------------------------------------- image sets


def test_faces_shapes_and_counts():
    faces = load_images("faces")
    assert faces.images.shape == (200, 25, 25) and faces.images.dtype == np.uint8
    assert faces.labels.shape == (200,) and np.issubdtype(faces.labels.dtype, np.integer)
    assert faces.class_names == ("not a face", "face")
    assert np.array_equal(faces.labels, np.r_[np.ones(100), np.zeros(100)])  # first 100 are faces


def test_digits_shapes_and_counts():
    digits = load_images("digits")
    assert digits.images.shape == (1797, 8, 8) and digits.images.dtype == np.uint8
    assert digits.class_names == tuple("0123456789")
    counts = np.bincount(digits.labels, minlength=10)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert digits.images.max() == 255 and digits.images.min() == 0


def test_images_are_cached_and_read_only():
    a, b = load_images("faces"), load_images("faces")
    assert a is b
    for array in (a.images, a.labels):
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[0] = 0


def test_faces_match_scikit_image():
    skdata = pytest.importorskip("skimage.data")
    expected = np.round(skdata.lfw_subset() * 255).astype(np.uint8)
    assert np.array_equal(load_images("faces").images, expected)


def test_digits_match_scikit_learn():
    sk = pytest.importorskip("sklearn.datasets")
    d = sk.load_digits()
    assert np.array_equal(load_images("digits").labels, d.target)
    stored = load_images("digits").images
    assert np.array_equal(stored, np.round(d.images * 255 / 16).astype(np.uint8))
    assert np.array_equal(np.round(stored / 255 * 16), d.images)  # 0..16 comes back exactly


# ---------------------------------------------------------------- binary tasks


def test_faces_task_shapes_and_values():
    t = binary_task("faces")
    n_x = 25 * 25
    assert (t.num_px, t.channels) == (25, 1)
    assert t.X_train.shape == (n_x, 160) and t.X_test.shape == (n_x, 40)
    assert t.Y_train.shape == (1, 160) and t.Y_test.shape == (1, 40)
    for X in (t.X_train, t.X_test):
        assert X.dtype == np.float64 and X.min() >= 0 and X.max() <= 1
    for Y in (t.Y_train, t.Y_test):
        assert Y.dtype == np.float64 and set(np.unique(Y)) == {0.0, 1.0}
    assert t.class_names == ("not a face", "face")
    # stratified: 80 / 20 faces in each part
    assert t.Y_train.sum() == 80 and t.Y_test.sum() == 20


def test_columns_are_the_flattened_images():
    t = binary_task("faces", seed=3)
    assert t.images_train.shape == (160, 25, 25) and t.images_train.dtype == np.uint8
    assert np.array_equal(t.X_train[:, 7], t.images_train[7].ravel() / 255)
    assert np.array_equal(t.X_test[:, -1], t.images_test[-1].ravel() / 255)


def test_labels_follow_the_images():
    faces = load_images("faces")
    face_pixels = {img.tobytes() for img in faces.images[faces.labels == 1]}
    t = binary_task("faces", seed=5)
    for img, y in zip(t.images_train, t.Y_train[0], strict=True):
        assert (img.tobytes() in face_pixels) == (y == 1)


def test_split_is_deterministic_and_depends_on_seed():
    a, b, c = binary_task("faces", seed=1), binary_task("faces", seed=1), binary_task("faces", seed=2)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.Y_test, b.Y_test)
    assert not np.array_equal(a.X_train, c.X_train)


def test_train_and_test_are_disjoint_and_cover_everything():
    t = binary_task("faces", seed=4)
    train = {img.tobytes() for img in t.images_train}
    test = {img.tobytes() for img in t.images_test}
    assert not train & test and len(train) + len(test) == 200


def test_digits_one_vs_rest_default_and_stratification():
    t = binary_task("digits")  # positive=0, negative = all other digits
    assert t.class_names == ("not 0", "0")
    assert t.num_px == 8 and t.X_train.shape[0] == 64
    m = t.Y_train.size + t.Y_test.size
    assert m == 1797
    assert t.Y_train.sum() + t.Y_test.sum() == 178
    assert t.Y_test.sum() == round(0.2 * 178) and t.Y_test.size == round(0.2 * 178) + round(0.2 * 1619)


def test_digits_pair():
    t = binary_task("digits", positive=3, negative=8, test_fraction=0.25)
    assert t.class_names == ("8", "3")
    assert t.Y_train.size + t.Y_test.size == 183 + 174
    assert t.Y_test.sum() == round(0.25 * 183)


def test_task_arrays_are_read_only():
    t = binary_task("faces")
    with pytest.raises(ValueError):
        t.X_train[0, 0] = 1.0


def test_logistic_regression_reaches_90_percent_on_faces():
    lm = pytest.importorskip("sklearn.linear_model")
    t = binary_task("faces")
    model = lm.LogisticRegression(C=np.inf, max_iter=10_000)  # C=inf: no penalty
    model.fit(t.X_train.T, t.Y_train.ravel())
    assert model.score(t.X_test.T, t.Y_test.ravel()) >= 0.9


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(name="cats"), "Unknown image set 'cats'; choose one of: faces, digits."),
        (dict(name="digits", positive=12), "digit must be 0 to 9; got 12."),
        (dict(name="digits", positive=-1), "digit must be 0 to 9; got -1."),
        (dict(name="digits", positive=2.5), "digit must be 0 to 9; got 2.5."),
        (dict(name="digits", positive="3"), "digit must be 0 to 9; got '3'."),
        (dict(name="digits", positive=4, negative=4), "positive and negative digits must differ"),
        (dict(name="faces", positive=1), "The faces set has fixed classes"),
        (dict(name="faces", seed=-1), "seed must be a whole number >= 0; got -1."),
        (dict(name="faces", seed=1.5), "seed must be a whole number >= 0; got 1.5."),
        (dict(name="faces", test_fraction=1.0), "test_fraction must be between 0 and 1"),
        (dict(name="faces", test_fraction=0), "test_fraction must be between 0 and 1"),
    ],
)
def test_binary_task_bad_input(kwargs, message):
    with pytest.raises(InputError) as err:
        binary_task(**kwargs)
    assert str(err.value).startswith(message)


# ---------------------------------------------------------------- 1-feature sets


@pytest.mark.parametrize("name", list(ONE_FEATURE_SETS))
def test_one_feature_shapes_and_metadata(name):
    d = one_feature(name)
    m = d.x.shape[1]
    assert d.x.shape == (1, m) and d.y.shape == (1, m)
    assert d.x.dtype == np.float64 and d.y.dtype == np.float64
    assert set(np.unique(d.y)) == {0.0, 1.0}
    assert np.all(np.abs(d.x) <= 4)
    assert d.name == name and d.title == ONE_FEATURE_SETS[name]
    assert d.description.endswith(".") and d.feature_label
    assert d.separable == is_separable(d.x, d.y)
    assert not d.x.flags.writeable and not d.y.flags.writeable


@pytest.mark.parametrize("name", ["overlap", "separable", "imbalanced", "outlier"])
def test_generated_sets_depend_on_seed_only(name):
    a, b, c = one_feature(name, seed=7), one_feature(name, seed=7), one_feature(name, seed=8)
    assert a.x.shape == (1, 200)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)
    assert one_feature(name, seed=7, m=50).x.shape == (1, 50)


def test_separability_of_generated_sets():
    for seed in range(20):
        assert one_feature("separable", seed=seed).separable
        assert not one_feature("overlap", seed=seed).separable
        assert not one_feature("outlier", seed=seed).separable


def test_imbalanced_is_ninety_ten():
    assert one_feature("imbalanced").y.mean() == pytest.approx(0.1)


def test_outlier_has_far_wrong_labels():
    d = one_feature("outlier")
    x, y = d.x[0], d.y[0]
    assert np.sum((x > 3) & (y == 0)) >= 1   # 0s far on the side of the 1s


@pytest.mark.parametrize("name", ["overlap", "imbalanced", "outlier", "tumour", "iris"])
def test_basin_minimum_lies_in_the_plotted_window(name):
    lm = pytest.importorskip("sklearn.linear_model")
    d = one_feature(name)
    model = lm.LogisticRegression(C=np.inf, max_iter=10_000).fit(d.x.T, d.y.ravel())  # C=inf: no penalty
    w, b = model.coef_[0, 0], model.intercept_[0]
    assert abs(w) < 10 and abs(b) < 10


def test_tumour_matches_scikit_learn():
    sk = pytest.importorskip("sklearn.datasets")
    cancer = sk.load_breast_cancer()
    radius = cancer.data[:, list(cancer.feature_names).index("mean radius")]
    d = one_feature("tumour")
    np.testing.assert_allclose(d.x[0], (radius - radius.mean()) / radius.std(), rtol=0, atol=1e-12)
    assert np.array_equal(d.y[0], cancer.target == 0)  # 1 = malignant
    assert d.y.sum() == 212 and d.x.shape == (1, 569)
    assert abs(d.x.mean()) < 1e-12 and d.x.std() == pytest.approx(1)
    assert "standardised" in d.feature_label and "standardised" in d.description
    assert not d.separable


def test_iris_matches_scikit_learn():
    sk = pytest.importorskip("sklearn.datasets")
    iris = sk.load_iris()
    keep = iris.target >= 1
    width = iris.data[keep, list(iris.feature_names).index("petal width (cm)")]
    d = one_feature("iris")
    np.testing.assert_allclose(d.x[0], (width - width.mean()) / width.std(), rtol=0, atol=1e-12)
    assert np.array_equal(d.y[0], iris.target[keep] == 2)  # 1 = virginica
    assert "standardised" in d.feature_label
    assert not d.separable


def test_real_subsample_is_stratified_and_seeded():
    a, b = one_feature("tumour", seed=1, m=100), one_feature("tumour", seed=1, m=100)
    assert a.x.shape == (1, 100) and np.array_equal(a.x, b.x)
    assert a.y.sum() == round(100 * 212 / 569)
    assert not np.array_equal(a.x, one_feature("tumour", seed=2, m=100).x)


def test_is_separable():
    assert is_separable([[1, 2, 3, 4]], [[0, 0, 1, 1]])
    assert is_separable([3, 4, 1, 2], [0, 0, 1, 1])          # either direction
    assert not is_separable([1, 3, 2, 4], [0, 0, 1, 1])
    assert not is_separable([1, 2, 2, 3], [0, 0, 1, 1])      # a tie cannot be split
    assert is_separable([1, 2, 3], [1, 1, 1])                # one class only
    with pytest.raises(InputError):
        is_separable([1, 2, 3], [0, 1])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(name="spiral"), "Unknown dataset 'spiral'; choose one of: overlap, separable, "
                              "imbalanced, outlier, tumour, iris."),
        (dict(name="overlap", seed=-3), "seed must be a whole number >= 0; got -3."),
        (dict(name="overlap", seed="1"), "seed must be a whole number >= 0; got '1'."),
        (dict(name="overlap", seed=True), "seed must be a whole number >= 0; got True."),
        (dict(name="overlap", m=3), "m (the number of examples) must be 10 to 10000; got 3."),
        (dict(name="iris", m=500), "The iris set has 100 examples; m must be at most 100."),
    ],
)
def test_one_feature_bad_input(kwargs, message):
    with pytest.raises(InputError) as err:
        one_feature(**kwargs)
    assert str(err.value) == message


# ---------------------------------------------------------------- bundled files round-trip


def _build_script():
    spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundled_files_match_build_script(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("skimage")
    build = _build_script()
    paths = build.build(tmp_path)
    # every .npz in data/ but the face network, which scripts/build_face_network.py writes from MediaPipe's model
    # (tests/unit/test_convnet.py checks it bit for bit against the model)
    other_builders = {"face_network.npz"}
    assert sorted(p.name for p in paths) == sorted(p.name for p in (ROOT / "data").glob("*.npz")
                                                   if p.name not in other_builders)
    for path in paths:
        with np.load(path) as fresh, np.load(ROOT / "data" / path.name) as bundled:
            assert fresh.files == bundled.files
            for key in fresh.files:
                assert fresh[key].dtype == bundled[key].dtype
                assert np.array_equal(fresh[key], bundled[key]), f"{path.name}:{key}"


def test_build_script_is_byte_for_byte_deterministic(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("skimage")
    build = _build_script()
    first = {p.name: p.read_bytes() for p in build.build(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build.build(tmp_path / "b")}
    assert first == second


def test_bundled_data_is_small():
    total = sum(p.stat().st_size for p in (ROOT / "data").glob("*.npz"))
    assert total < 1_000_000


def test_data_dir_is_relative_to_the_repo():
    assert datasets.DATA_DIR == ROOT / "data"
