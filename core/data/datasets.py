"""Bundled datasets in the course's shapes: X (n_x, m), one example per column; Y (1, m).

Pure numpy and the standard library: the files under data/ were written by
scripts/build_data.py (see data/DATA.md), so the app never needs scikit-learn
or scikit-image.

Two kinds of data:
- image sets ("faces", "digits") for training a neuron on pixels: load_images, binary_task;
- 1-feature sets for drawing the cost basin J(w, b): one_feature, is_separable.
"""

import functools
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import InputError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # the repository's data/, beside core/

IMAGE_SETS = ("faces", "digits")

ONE_FEATURE_SETS = {
    "overlap": "Two overlapping classes",
    "separable": "Separable classes",
    "imbalanced": "Imbalanced classes (90% / 10%)",
    "outlier": "Clean classes with outliers",
    "tumour": "Tumour size (breast cancer data)",
    "iris": "Iris petal width",
}
GENERATED_SETS = ("overlap", "separable", "imbalanced", "outlier")
DEFAULT_M = 200  # examples in a generated set


# ---------------------------------------------------------------- checks


def _check_int(value, what, low, high=None):
    """Return value as an int if it is a whole number in [low, high]; else raise InputError."""
    allowed = f"{low} to {high}" if high is not None else f"a whole number >= {low}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{what} must be {allowed}; got {value!r}.")
    value = int(value)
    if value < low or (high is not None and value > high):
        raise InputError(f"{what} must be {allowed}; got {value}.")
    return value


def _check_name(name, valid, what):
    if not isinstance(name, str) or name not in valid:
        raise InputError(f"Unknown {what} {name!r}; choose one of: {', '.join(valid)}.")
    return name


def _read_only(array):
    array.flags.writeable = False
    return array


@functools.cache
def _load_npz(filename):
    """All arrays of one bundled file, as a dict of read-only arrays (cached)."""
    with np.load(DATA_DIR / filename, allow_pickle=False) as npz:
        return {key: _read_only(npz[key]) for key in npz.files}


# ---------------------------------------------------------------- image sets


@dataclass(frozen=True)
class ImageSet:
    """A bundled set of grey images.

    images : ndarray of shape (N, h, w), uint8 in 0..255 (read-only)
    labels : ndarray of shape (N,), int (read-only)
        Index into class_names.
    class_names : tuple of str
    """

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple


def load_images(name):
    """Load a bundled image set.

    Parameters
    ----------
    name : {"faces", "digits"}
        "faces": 200 images 25x25 from Labeled Faces in the Wild, label 1 = "face"
        (100 images), 0 = "not a face" (100). "digits": 1797 handwritten digits 8x8,
        labels 0..9.

    Returns
    -------
    ImageSet
        Cached: repeated calls return the same read-only arrays.
    """
    return _load_images(_check_name(name, IMAGE_SETS, "image set"))


@functools.cache
def _load_images(name):
    arrays = _load_npz(f"{name}.npz")
    labels = _read_only(arrays["labels"].astype(np.int64))
    if name == "faces":
        class_names = ("not a face", "face")
    else:
        class_names = tuple(str(d) for d in range(10))
    return ImageSet(images=arrays["images"], labels=labels, class_names=class_names)


@dataclass(frozen=True)
class BinaryTask:
    """A two-class image task, split into train and test sets, in course shapes.

    X_train : ndarray of shape (n_x, m_train), float64 in [0, 1]
        Pixels / 255, each image flattened row by row into one column; n_x = num_px**2.
    Y_train : ndarray of shape (1, m_train), float64, 0.0 or 1.0 (1.0 = positive class)
    X_test : ndarray of shape (n_x, m_test)
    Y_test : ndarray of shape (1, m_test)
    num_px : int
        Side length of the square images.
    channels : int
        Colour channels; always 1 (grey).
    class_names : tuple of (str, str)
        (negative name, positive name): class_names[int(y)] names a label y.
    images_train : ndarray of shape (m_train, num_px, num_px), uint8
        The same training images, for showing samples; images_train[i] is column i of X_train.
    images_test : ndarray of shape (m_test, num_px, num_px), uint8
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    num_px: int
    channels: int
    class_names: tuple
    images_train: np.ndarray
    images_test: np.ndarray


def binary_task(name, positive=None, negative=None, seed=0, test_fraction=0.2):
    """A yes/no image task with a stratified, seeded train/test split.

    Parameters
    ----------
    name : {"faces", "digits"}
    positive : int or None, default=None
        Digits only: the digit labelled 1 (0 to 9). None means 0.
        For faces the positive class is always "face"; leave it None.
    negative : int or None, default=None
        Digits only: the digit labelled 0, or None for "all other digits".
    seed : int, default=0
        Seed of np.random.default_rng for the split; the same seed gives the same split.
    test_fraction : float, default=0.2
        Share of each class put in the test set (strictly between 0 and 1).

    Returns
    -------
    BinaryTask
        Arrays are read-only.
    """
    name = _check_name(name, IMAGE_SETS, "image set")
    if name == "faces":
        if positive is not None or negative is not None:
            raise InputError("The faces set has fixed classes (face vs not a face); "
                             "choose digits to pick a positive and a negative class.")
    else:
        positive = 0 if positive is None else _check_int(positive, "digit", 0, 9)
        if negative is not None:
            negative = _check_int(negative, "digit", 0, 9)
            if negative == positive:
                raise InputError(f"positive and negative digits must differ; both are {positive}.")
    seed = _check_int(seed, "seed", 0)
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real) \
            or not 0 < test_fraction < 1:
        raise InputError(f"test_fraction must be between 0 and 1 (e.g. 0.2); got {test_fraction!r}.")
    return _binary_task(name, positive, negative, seed, float(test_fraction))


@functools.lru_cache(maxsize=32)
def _binary_task(name, positive, negative, seed, test_fraction):
    data = load_images(name)
    if name == "faces":
        keep = np.ones(len(data.labels), dtype=bool)
        y = data.labels == 1
        class_names = data.class_names  # ("not a face", "face")
    else:
        keep = np.ones(len(data.labels), dtype=bool) if negative is None else np.isin(
            data.labels, [positive, negative])
        y = data.labels == positive
        negative_name = f"not {positive}" if negative is None else str(negative)
        class_names = (negative_name, str(positive))
    images, y = data.images[keep], y[keep].astype(np.float64)

    train, test = _stratified_split(y, test_fraction, np.random.default_rng(seed))
    m_train, m_test = len(train), len(test)
    num_px = images.shape[1]

    def columns(idx):  # (m, h, w) uint8 -> (n_x, m) float64 in [0, 1]
        return _read_only(images[idx].reshape(len(idx), -1).T / 255.0)

    return BinaryTask(
        X_train=columns(train),                                 # (n_x, m_train)
        Y_train=_read_only(y[train].reshape(1, m_train)),      # (1, m_train)
        X_test=columns(test),                                   # (n_x, m_test)
        Y_test=_read_only(y[test].reshape(1, m_test)),         # (1, m_test)
        num_px=num_px,
        channels=1,
        class_names=class_names,
        images_train=_read_only(images[train]),                 # (m_train, h, w)
        images_test=_read_only(images[test]),                   # (m_test, h, w)
    )


def _stratified_split(y, test_fraction, rng):
    """Indices (train, test): each class contributes round(test_fraction * its size) to test,
    at least one example and never all of them; both index arrays are shuffled."""
    train, test = [], []
    for label in (0.0, 1.0):
        idx = rng.permutation(np.flatnonzero(y == label))
        n_test = min(max(1, round(test_fraction * len(idx))), len(idx) - 1)
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


# ---------------------------------------------------------------- 1-feature sets


@dataclass(frozen=True)
class OneFeature:
    """One feature and a 0/1 label per example: the smallest problem with a cost basin J(w, b).

    x : ndarray of shape (1, m), float64
    y : ndarray of shape (1, m), float64, 0.0 or 1.0
    name : str
        Key in ONE_FEATURE_SETS.
    title : str
    description : str
        One plain sentence for students.
    feature_label : str
        Axis label for x.
    separable : bool
        True if some threshold on x puts every 0 on one side and every 1 on the other
        (then log-loss has no finite minimum).
    """

    x: np.ndarray
    y: np.ndarray
    name: str
    title: str
    description: str
    feature_label: str
    separable: bool


def is_separable(x, y):
    """True if one threshold on x separates the two classes perfectly.

    Parameters
    ----------
    x : array-like of shape (1, m) or (m,)
    y : array-like of shape (1, m) or (m,), 0 or 1

    Returns
    -------
    bool
        Whether all of one class lies strictly below all of the other. A set with only
        one class counts as separable (log-loss then has no finite minimum either).
        Classes that overlap only at one tied value (x0.max() == x1.min()) are not separable
        here, since no threshold splits them, but log-loss without λ has no finite minimum on
        them either: core.maths.surfaces.find_minimum says so (reason "ties").
    """
    x, y = np.ravel(x), np.ravel(y)
    if x.shape != y.shape:
        raise InputError(f"x and y must have the same number of examples; got {x.size} and {y.size}.")
    x0, x1 = x[y == 0], x[y == 1]
    if x0.size == 0 or x1.size == 0:
        return True
    return bool(x0.max() < x1.min() or x1.max() < x0.min())


def one_feature(name, seed=0, m=None):
    """A 1-feature dataset for the cost basin J(w, b).

    Parameters
    ----------
    name : {"overlap", "separable", "imbalanced", "outlier", "tumour", "iris"}
        The first four are generated from seed; "tumour" and "iris" are real data.
    seed : int, default=0
        Seed of np.random.default_rng. For real data it only matters when m is given.
    m : int or None, default=None
        Number of examples. None means 200 for generated sets and every example for
        real sets (569 tumours, 100 irises); for real sets a smaller m takes a seeded,
        stratified sample.

    Returns
    -------
    OneFeature
        x of shape (1, m) and y of shape (1, m). Generated x lies in [-4, 4]; real x is
        standardised (mean 0, standard deviation 1) over the whole real set.
    """
    name = _check_name(name, tuple(ONE_FEATURE_SETS), "dataset")
    seed = _check_int(seed, "seed", 0)
    if m is not None:
        m = _check_int(m, "m (the number of examples)", 10, 10_000)
    return _one_feature(name, seed, m)


@functools.lru_cache(maxsize=64)
def _one_feature(name, seed, m):
    rng = np.random.default_rng(seed)
    if name in GENERATED_SETS:
        x, y, description, feature_label = _GENERATORS[name](rng, DEFAULT_M if m is None else m)
        order = rng.permutation(x.size)  # mix the classes, as real data would be
        x, y = np.clip(x[order], -4, 4), y[order]
    else:
        x, y, description, feature_label = _REAL[name]()
        if m is not None:
            if m > x.size:
                raise InputError(f"The {name} set has {x.size} examples; m must be at most {x.size}.")
            keep = _stratified_sample(y, m, rng)
            x, y = x[keep], y[keep]
    x = _read_only(x.astype(np.float64).reshape(1, -1))   # (1, m)
    y = _read_only(y.astype(np.float64).reshape(1, -1))   # (1, m)
    return OneFeature(x=x, y=y, name=name, title=ONE_FEATURE_SETS[name], description=description,
                      feature_label=feature_label, separable=is_separable(x, y))


def _stratified_sample(y, m, rng):
    """Sorted indices of m examples, keeping the share of 1s (at least one of each class)."""
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    m_pos = min(max(1, round(m * pos.size / y.size)), m - 1)
    return np.sort(np.r_[rng.choice(pos, m_pos, replace=False), rng.choice(neg, m - m_pos, replace=False)])


def _class_sizes(m, share_of_ones):
    m1 = min(max(1, round(m * share_of_ones)), m - 1)
    return m - m1, m1


# Each generator returns x (m,), y (m,), a description and an axis label.

def _overlap(rng, m):
    m0, m1 = _class_sizes(m, 0.5)
    x = np.r_[rng.normal(-1.0, 1.0, m0), rng.normal(1.0, 1.0, m1)]
    y = np.r_[np.zeros(m0), np.ones(m1)]
    return x, y, "Two classes whose values overlap, so no threshold gets every example right.", "x"


def _separable(rng, m):
    m0, m1 = _class_sizes(m, 0.5)
    x = np.r_[rng.uniform(-3.5, -0.5, m0), rng.uniform(0.5, 3.5, m1)]
    y = np.r_[np.zeros(m0), np.ones(m1)]
    return x, y, ("A gap separates the two classes, so without regularisation (λ = 0) the "
                  "log-loss keeps falling as w grows and has no lowest point."), "x"


def _imbalanced(rng, m):
    m0, m1 = _class_sizes(m, 0.1)
    x = np.r_[rng.normal(-1.0, 1.0, m0), rng.normal(1.0, 1.0, m1)]
    y = np.r_[np.zeros(m0), np.ones(m1)]
    return x, y, "Only one example in ten is a 1, and the two classes overlap.", "x"


def _outlier(rng, m):
    n_out = max(1, m // 100)              # 1% outliers, at least one
    m0, m1 = _class_sizes(m - n_out, 0.5)
    x = np.r_[rng.normal(-1.5, 0.6, m0), rng.normal(1.5, 0.6, m1), rng.uniform(3.3, 3.9, n_out)]
    y = np.r_[np.zeros(m0), np.ones(m1), np.zeros(n_out)]   # the outliers carry the wrong label
    return x, y, ("Two well-separated classes plus a few far-away examples with the wrong label, "
                  "which pull on the cost."), "x"


def _standardise(x):
    return (x - x.mean()) / x.std()


def _tumour():
    arrays = _load_npz("breast_cancer.npz")
    radius = arrays["mean_radius_milli"] / 1000.0       # mean radius, as scikit-learn ships it
    y = (arrays["target"] == 0).astype(np.float64)      # sklearn target 0 = malignant -> y = 1
    return (_standardise(radius), y,
            "Breast tumours: predict malignant (1) or benign (0) from the mean radius, "
            "standardised to mean 0 and standard deviation 1.",
            "mean radius (standardised)")


def _iris():
    arrays = _load_npz("iris.npz")
    keep = arrays["species"] >= 1                       # versicolor (1) and virginica (2)
    width = arrays["petal_width_tenths"][keep] / 10.0   # petal width in cm
    y = (arrays["species"][keep] == 2).astype(np.float64)   # virginica -> y = 1
    return (_standardise(width), y,
            "Iris flowers: predict virginica (1) or versicolor (0) from the petal width, "
            "standardised to mean 0 and standard deviation 1.",
            "petal width (standardised)")


_GENERATORS = {"overlap": _overlap, "separable": _separable, "imbalanced": _imbalanced,
               "outlier": _outlier}
_REAL = {"tumour": _tumour, "iris": _iris}


# ---------------------------------------------------------------- face-free photos


def load_scenes():
    """The bundled face-free photos (data/scenes.npz): dict name -> read-only uint8 ndarray (h, w), grey.

    Used for "not a face" training windows and hard-negative mining; see data/DATA.md for their licences.
    """
    return dict(_load_npz("scenes.npz"))
