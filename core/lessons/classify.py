"""One neuron as an image classifier: train, measure, classify a photo, save and load the model.

The neuron is the course's logistic regression (core.maths.logistic): X (n_x, m) holds one flattened image per
column, Y (1, m) the labels, w (n_x, 1) one weight per pixel, b a float, and A = σ(wᵀX + b) the probability
of class 1. Training is batch gradient descent, w := w − α·dw, b := b − α·db, run in chunks so that a
caller can show progress. No streamlit here: pages pass a plain callback.

A saved model is a small JSON file. Loading one treats it as untrusted: its size, format, keys, shapes,
types and values are all checked, and anything unexpected is refused with one sentence (InputError).
Nothing is ever unpickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from core.data import images
from core.data.datasets import binary_task
from core.errors import InputError
from core.markup import escape_markdown  # noqa: F401  (the page escapes names and file names with it)
from core.maths.logistic import accuracy, gradient_descent, initialize_with_zeros, predict, predict_proba
from core.maths.surfaces import hessian
from core.params import QueryState, setting

_LOG = logging.getLogger(__name__)

# Default settings of the bundled tasks. λ = 1 gives the cost a bottom: the 160 training faces are linearly
# separable, so without it the log-loss has no finite minimum and w would grow for ever.
DEFAULT_ALPHA = 0.1
DEFAULT_ITERATIONS = 2000
DEFAULT_LAMBDA = 1.0
MAX_ITERATIONS = 20_000
COMPARE_ALPHAS = (0.01, 0.1, 1.0)  # the course's "three learning rates on one chart"
# The page's three rates come from the curvature of the data instead (rates_from_curvature): multiples of
# 1/λ_max, where λ_max is the largest curvature J has anywhere. The large one is the first of the
# TOO_LARGE_FACTORS that really makes J rise.
COMPARE_FACTORS = (0.05, 1.0)
TOO_LARGE_FACTORS = (8.0, 16.0, 32.0)

# Your own classes
MIN_IMAGES_PER_CLASS = 5
MAX_IMAGES_PER_CLASS = 60
MIN_FOR_TEST_SPLIT = 10  # per class: below this every image is used for training
OWN_TEST_FRACTION = 0.2
OWN_NUM_PX_CHOICES = (16, 32, 64)
MAX_NAME_LENGTH = 30

# Model files
MODEL_FORMAT = "basin-neuron"
MODEL_VERSION = 1
MAX_MODEL_BYTES = 1_000_000  # a 64 × 64 colour model (12,288 weights) is about 300 kB
MAX_MODEL_NUM_PX = 64
# Largest |weight| or |bias| an imported model may have. Training on pixels in [0, 1] gives weights of a few
# units at most; with at most 12,288 weights, |wᵀx + b| then stays far from float64's limits, so a = σ(z) is
# never NaN (w = [1.7e308, −1.7e308, ...] would give inf − inf).
MAX_MODEL_WEIGHT = 1e6
MAX_MODEL_SETTING = 1e6  # α and λ in an imported model's settings: 0 to this
_MODEL_KEYS = {"format", "version", "num_px", "channels", "class_names", "w", "b", "settings"}
_SETTING_KEYS = {"alpha": float, "iterations": int, "lambd": float, "source": str}
_NAME_PUNCTUATION = set(" -'.")

# How many parameter rows gradient_descent may record per chunk (it keeps w and dw at every step).
_ROWS_BUDGET = 400_000


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Model:
    """A trained neuron and what it needs to read a new image.

    w : ndarray of shape (n_x, 1), n_x = num_px * num_px * channels
    b : float
    num_px : int
        Images are resized to num_px × num_px before they are flattened.
    channels : {1, 3}
        1 = grayscale, 3 = colour.
    class_names : tuple of (str, str)
        (name of y = 0, name of y = 1).
    settings : dict
        How it was trained: "alpha", "iterations", "lambd", "source".
    """

    w: np.ndarray
    b: float
    num_px: int
    channels: int
    class_names: tuple
    settings: dict = field(default_factory=dict)

    @property
    def n_x(self):
        return self.num_px * self.num_px * self.channels

    def weights_image(self):
        """w reshaped like the image it reads: (num_px, num_px) or (num_px, num_px, 3)."""
        shape = (self.num_px, self.num_px) if self.channels == 1 else (self.num_px, self.num_px, 3)
        return self.w.reshape(shape)


@dataclass(frozen=True)
class TrainResult:
    """What one training run produced.

    model : Model
    cost : ndarray of shape (k + 1,)      J after 0, 1, ..., k updates
    status : {"converged", "max_steps", "diverged"}
    message : str                         one plain sentence on how the run ended
    train_accuracy : float                in [0, 1]
    test_accuracy : float or None         None when there is no test set
    confusion_train : ndarray of shape (2, 2), int   rows = true class (0, 1), columns = predicted
    confusion_test : ndarray of shape (2, 2) or None
    """

    model: Model
    cost: np.ndarray
    status: str
    message: str
    train_accuracy: float
    test_accuracy: float | None
    confusion_train: np.ndarray
    confusion_test: np.ndarray | None


def confusion_matrix(Y, Y_prediction):
    """Counts of (true, predicted) pairs: ndarray (2, 2) of int, [i, j] = examples of class i predicted j."""
    Y = np.asarray(Y).ravel().astype(int)
    P = np.asarray(Y_prediction).ravel().astype(int)
    return np.array([[np.sum((Y == i) & (P == j)) for j in (0, 1)] for i in (0, 1)])


def train(X_train, Y_train, X_test=None, Y_test=None, *, num_px, channels, class_names,
          alpha=DEFAULT_ALPHA, num_iterations=DEFAULT_ITERATIONS, lambd=DEFAULT_LAMBDA, source="",
          progress: Callable[[int, int], None] | None = None,
          lam_max: float | Callable[[], float] | None = None):
    """Train one neuron from w = 0, b = 0 by batch gradient descent and measure it.

    Parameters
    ----------
    X_train : ndarray of shape (n_x, m_train), values in [0, 1]
    Y_train : ndarray of shape (1, m_train), 0 or 1
    X_test, Y_test : ndarray of shape (n_x, m_test) and (1, m_test), or None
    num_px, channels, class_names
        Stored in the model, so that it can read new photos the same way.
    alpha : float
        Learning rate α > 0.
    num_iterations : int
        At most MAX_ITERATIONS.
    lambd : float
        L2 strength λ ≥ 0: J = (1/m) Σ L + λ/(2m) ‖w‖².
    source : str
        A short description of the data, kept in the model's settings.
    progress : callable (done, total) or None
        Called after every chunk of iterations, e.g. to move a progress bar.
    lam_max : float, callable () -> float, or None
        λ_max of J on these data (steepest_curvature), or a function that computes it, called only when the
        message needs it: when α was too large, the message names 2/λ_max. None: the message says "a smaller α".

    Returns
    -------
    TrainResult
    """
    num_iterations = _check_iterations(num_iterations)
    n_x = X_train.shape[0]
    w, b = initialize_with_zeros(n_x)
    chunk = max(1, min(num_iterations, _ROWS_BUDGET // n_x)) if num_iterations else 0
    costs, done = [], 0
    while True:
        steps = min(chunk, num_iterations - done)
        run = gradient_descent(w, b, X_train, Y_train, alpha, steps, lambd=lambd)
        costs.append(run.cost if done == 0 else run.cost[1:])  # each chunk starts where the last ended
        w, b, done = run.final_w.copy(), run.final_b, done + run.steps  # copy: do not keep the chunk alive
        if progress is not None:
            progress(done if run.status == "max_steps" else num_iterations, num_iterations)
        if run.status != "max_steps" or done >= num_iterations:
            break
    cost = np.concatenate(costs)
    status, message = _ending(run.status, done, cost, num_iterations, alpha, lam_max)
    w.flags.writeable = False  # models are shared between sessions by the page's cache
    model = Model(w=w, b=b, num_px=int(num_px), channels=int(channels), class_names=tuple(class_names),
                  settings={"alpha": float(alpha), "iterations": int(num_iterations), "lambd": float(lambd),
                            "source": source})
    has_test = X_test is not None and Y_test is not None and np.size(Y_test) > 0
    return TrainResult(
        model=model, cost=cost, status=status, message=message,
        train_accuracy=accuracy(w, b, X_train, Y_train),
        test_accuracy=accuracy(w, b, X_test, Y_test) if has_test else None,
        confusion_train=confusion_matrix(Y_train, predict(w, b, X_train)),
        confusion_test=confusion_matrix(Y_test, predict(w, b, X_test)) if has_test else None,
    )


TOO_MANY_RISES = 0.1  # J rising at this share of the steps or more: the learning rate is too large


def rise_count(cost):
    """Steps at which J went up (by more than rounding)."""
    return int(np.sum(np.diff(cost) > 1e-12))


def rate_too_large(cost):
    """True when the run shows a learning rate that is too large: J ends at or above J at the start, or J rose
    at TOO_MANY_RISES of the steps or more. (A few rises on the way down, as at the faces' default α, are not.)"""
    steps = cost.size - 1
    return steps > 0 and rise_count(cost) > 0 and (cost[-1] >= cost[0] or rise_count(cost) >= TOO_MANY_RISES * steps)


def _ending(status, done, cost, total, alpha=None, lam_max=None):
    """(status, one plain sentence on how the run ended), saying so when J did not fall or rose often."""
    if status == "diverged":
        return status, (f"Diverged at step {done + 1}: the cost blew up, so training stopped at the last "
                        f"good point; {_smaller_rate(lam_max)}")
    if status == "converged" and cost[-1] >= cost[0]:   # a zero gradient at w = 0: the class means are the same
        return status, (f"Converged after {done} steps: the gradient is (almost) zero already at the start, so "
                        f"J = {cost[-1]:.4g} never fell below J = {cost[0]:.4g} and the neuron learned nothing "
                        "(the two classes' average images are the same).")
    if status == "converged":
        return status, f"Converged after {done} steps: the gradient is (almost) zero; J = {cost[-1]:.4g}."
    if not rate_too_large(cost):
        return status, f"Ran all {total} steps; J = {cost[-1]:.4g}."
    n = rise_count(cost)
    if cost[-1] >= cost[0]:
        how = (f"but J ends at {cost[-1]:.4g}, {'above' if cost[-1] > cost[0] else 'no lower than'} J = "
               f"{cost[0]:.4g} at the start: it rose at {n} of the steps")
    else:
        how = f"J = {cost[-1]:.4g}, but it rose at {n} of the steps on the way"
    rate = "The learning rate" if alpha is None else f"The learning rate α = {alpha:g}"
    advice = _smaller_rate(lam_max)
    return status, (f"Ran all {total} steps, {how}. {rate} is too large: its steps jump past the bottom of the "
                    f"cost basin. {advice[0].upper()}{advice[1:]}")


def cost_curve_words(cost):
    """What the cost curve of one run shows, in words (the chart's alt text): "falling" only when J fell."""
    if cost.size < 2:
        return f"The cost J at the start, {cost[0]:.4f}: no steps were run."
    n, steps = rise_count(cost), cost.size - 1
    if cost[-1] >= cost[0]:
        return (f"The cost J against the iteration: it did not fall; from {cost[0]:.4f} at the start it ends at "
                f"{cost[-1]:.4f}, rising at {n} of the {steps} steps.")
    if rate_too_large(cost):
        return (f"The cost J against the iteration, from {cost[0]:.4f} to {cost[-1]:.4f}, rising at {n} of the "
                f"{steps} steps on the way.")
    return f"The cost J against the iteration, falling to {cost[-1]:.4f}."


def _smaller_rate(lam_max):
    """The advice of a run whose α was too large: a smaller α, below 2/λ_max when λ_max is known."""
    lam = lam_max() if callable(lam_max) else lam_max
    if lam is None or not lam > 0:
        return "try a smaller learning rate α."
    return f"try a smaller α: below 2/λ_max = {2 / lam:.2g} no step can make J rise."


def train_task(task, alpha=DEFAULT_ALPHA, num_iterations=DEFAULT_ITERATIONS, lambd=DEFAULT_LAMBDA,
               source="", progress=None, lam_max=None):
    """`train` on a core.data.datasets.BinaryTask (its train and test split). The message of a run whose α was
    too large names 2/λ_max: lam_max when given, else steepest_curvature(task, lambd), computed only then."""
    return train(task.X_train, task.Y_train, task.X_test, task.Y_test, num_px=task.num_px,
                 channels=task.channels, class_names=task.class_names, alpha=alpha,
                 num_iterations=num_iterations, lambd=lambd, source=source, progress=progress,
                 lam_max=lam_max if lam_max is not None else (lambda: steepest_curvature(task, lambd)))


def compare_learning_rates(task, alphas=COMPARE_ALPHAS, num_iterations=DEFAULT_ITERATIONS,
                           lambd=DEFAULT_LAMBDA):
    """The course's comparison: the same task trained with several learning rates.

    Returns
    -------
    list of (alpha, TrainResult), in the order of alphas.
    """
    return [(float(a), train_task(task, a, num_iterations, lambd)) for a in alphas]


def steepest_curvature(task, lambd=DEFAULT_LAMBDA):
    """λ_max of the Hessian of J at w = 0, b = 0: the largest curvature J has anywhere.

    For log-loss H = (1/m) X̃ diag(σ'(z)) X̃ᵀ + (λ/m)·diag(1, …, 1, 0) with X̃ = X plus a row of ones, and
    σ'(z) = σ(z)(1 − σ(z)) is at most 1/4, reached at z = 0. So H at w = 0 (every z = 0) bounds H everywhere,
    and for α < 2/λ_max no step of gradient descent can make J rise.
    """
    X = task.X_train
    return float(np.linalg.eigvalsh(hessian(np.zeros((X.shape[0], 1)), 0.0, X, task.Y_train, "sigmoid", "log",
                                            lambd))[-1])


@dataclass(frozen=True)
class RateRun:
    """One of the compared learning rates: factor × 1/λ_max, rounded to 2 significant digits."""

    factor: float
    alpha: float
    result: TrainResult

    @property
    def rises(self):
        """Steps at which J went up."""
        return rise_count(self.result.cost)


def rates_from_curvature(task, num_iterations=DEFAULT_ITERATIONS, lambd=DEFAULT_LAMBDA):
    """(λ_max, [RateRun] × 3): a rate that crawls (0.05/λ_max), one that falls steadily (1/λ_max) and one that
    is too large: the first of 8, 16, 32 times 1/λ_max whose run makes J rise at least once (the last one tried
    when none does; describe_rates then says so)."""
    lam = steepest_curvature(task, lambd)
    runs = []
    for f in COMPARE_FACTORS + TOO_LARGE_FACTORS:
        alpha = float(f"{f / lam:.2g}")
        run = RateRun(f, alpha, train_task(task, alpha, num_iterations, lambd, lam_max=lam))
        if f in COMPARE_FACTORS:
            runs.append(run)
        elif run.rises or f == TOO_LARGE_FACTORS[-1]:
            runs.append(run)
            break
    return lam, runs


def describe_rates(lam, runs):
    """Plain sentences on what each compared rate did, read off its cost curve."""
    best = min(float(r.result.cost[-1]) for r in runs)
    out = [f"λ_max = {lam:.3g} is the largest curvature of J (at w = 0, where σ′ = 1/4 is largest), so below "
           f"2/λ_max = {2 / lam:.2g} no step can make J rise. The three rates are multiples of 1/λ_max:"]
    for r in runs:
        cost = r.result.cost
        head = f"α = {r.alpha:g} ({r.factor:g}/λ_max)"
        if cost.size < 2:
            out.append(f"{head}: no steps were run.")
        elif r.rises:
            last = int(np.nonzero(np.diff(cost) > 1e-12)[0][-1]) + 1          # the last step at which J rose
            end = (f"it ends at J = {cost[-1]:.4g}" if cost[-1] > best else
                   f"yet it ends lowest of the three, at J = {cost[-1]:.4g}: the curvature is largest at w = 0 and "
                   f"shrinks as the weights grow, so after step {last} (its last jump) its big steps no longer "
                   "overshoot")
            out.append(f"{head} is too large: J jumps up at {r.rises} of the steps (to {cost.max():.3g} at most, "
                       f"from {cost[0]:.3g} at the start), each such step past the bottom of the cost basin; "
                       f"{end}.")
        elif cost[-1] > best + 0.01 + 0.1 * best:
            out.append(f"{head} crawls: J falls at every step but is still {cost[-1]:.4g} after {cost.size - 1} "
                       f"steps, against {best:.4g} for the best of the three.")
        else:
            out.append(f"{head}: J falls at every step, to {cost[-1]:.4g}.")
    if not any(r.rises for r in runs):
        out.append("None of the three makes J rise here, even at "
                   f"{runs[-1].factor:g}/λ_max: on these data no rate tried jumps past the bottom.")
    idle = [r for r in runs if r.result.cost.size > 1 and not learned(r.result)]
    if idle:   # the legend's train accuracies: one at the majority class's share looks good and is not
        label, share = baseline(idle[0].result.confusion_train)
        names = idle[0].result.model.class_names
        accs = " and ".join(f"{r.result.train_accuracy:.1%} for α = {r.alpha:g}" for r in idle)
        out.append(f"{_always(label, names).capitalize()} would score {share:.1%} on the training images, so the "
                   f"legend's train accuracy of {accs} is no better: "
                   f"{'that rate has' if len(idle) == 1 else 'those rates have'} not learned to tell “{names[1]}” "
                   f"from “{names[0]}”.")
    return out


def one_example_note(m_test, unit="images"):
    """" With only 5 test photos, one photo moves the test accuracy by 20 points …" when the test set is smaller
    than SMALL_TEST_SET (a gap of a few photos says little), else ""."""
    if not m_test or m_test >= SMALL_TEST_SET:
        return ""
    one = unit[:-1] if unit.endswith("s") else unit
    return (f" With only {m_test} test {unit}, one {one} moves the test accuracy by {100 / m_test:.0f} points, so "
            "a gap this size can come from one or two of them.")


def generalisation_note(train_accuracy, test_accuracy, gap=0.05, m_test=None, unit="images"):
    """The plain sentence when there is no sign of overfitting (the counterpart of overfitting_note), else None.

    The gap is train − test accuracy, in points; when the test examples went better, it is negative and said so
    (with a real minus sign), never as if it were a small positive gap, in words that grow with its size
    ("even a little better", "better", "much better"). m_test: the test set's size, to say when it is so small
    that one example moves the test accuracy by many points."""
    if test_accuracy is None or train_accuracy - test_accuracy > gap:
        return None
    head = f"Train accuracy {train_accuracy:.1%}, test accuracy {test_accuracy:.1%}: "
    points = round(100 * (train_accuracy - test_accuracy), 1) + 0.0   # + 0.0: no "-0.0"
    tiny = one_example_note(m_test, unit)
    if points < 0:
        said = f"a gap (train − test) of −{-points:.1f} points: the neuron does "
        seen = f"on the test {unit}, which it has never seen, than on its training {unit}"
        if -points <= 100 * gap:
            better = "even a little better" if -points < 2 else "better"
            return head + said + f"{better} {seen}, so no sign of overfitting here." + tiny
        return (head + said + f"much better {seen}. That is no sign of overfitting; a gap this large usually "
                f"means the test {unit} happen to be easier than the training ones (luck of which were kept "
                "back)." + tiny)
    return (head + f"a gap of {points:.1f} points, under {100 * gap:.0f}, so no sign of "
            f"overfitting here: the neuron does about as well on {unit} it has never seen." + tiny)


def weights_caption(class_names, unit="images"):
    """What the colours of the weights picture mean, named after the task's classes (no streamlit; the page
    escapes user names before passing them): w > 0 (purple) pushes a = σ(wᵀx + b) towards 1, class_names[1]
    (y = 1); w < 0 (orange) towards 0, class_names[0] (y = 0)."""
    name0, name1 = class_names
    return (f"Each pixel's weight w: purple pixels (w > 0) push a towards 1, “{name1}” (y = 1); orange ones "
            f"(w < 0) push a towards 0, “{name0}” (y = 0); pale ones hardly matter. This is the pattern the "
            f"neuron compares every {unit[:-1]} with.")


def overfitting_note(train_accuracy, test_accuracy, gap=0.05, m_test=None, unit="images"):
    """A plain sentence when train accuracy is far above test accuracy (by more than `gap`), else None. The
    accuracies are written as the page's metrics write them (one decimal), so the two never disagree."""
    if test_accuracy is None or train_accuracy - test_accuracy <= gap:
        return None
    return (f"Train accuracy ({train_accuracy:.1%}) is well above test accuracy ({test_accuracy:.1%}): "
            f"the neuron has partly memorised its training {unit} (overfitting). More {unit} or a larger "
            "λ usually help." + one_example_note(m_test, unit))


SMALL_TEST_SET = 10  # fewer test examples than this: the test accuracy moves in big jumps, and the page says so


def baseline(confusion):
    """(label, share) of always answering the class most examples have: label 0 or 1, or None when both classes
    are equally many; share = its count / all, the accuracy of that answer. confusion: rows = true class."""
    counts = np.asarray(confusion).sum(axis=1)                        # (2,): examples of class 0, of class 1
    label = None if counts[0] == counts[1] else int(np.argmax(counts))
    return label, float(counts.max() / max(counts.sum(), 1))


def learned(res):
    """Whether the neuron does better on its training examples than always answering their majority class."""
    return res.train_accuracy > baseline(res.confusion_train)[1] + 1e-9


def _always(label, names):
    return "always answering either class" if label is None else f"always answering “{names[label]}”"


def one_class_answer(confusion, names, which, unit):
    """The plain sentence when the neuron gave every example the same answer, else None."""
    predicted = np.asarray(confusion).sum(axis=0)                     # (2,): answered 0, answered 1
    if predicted.min() > 0:
        return None
    said = int(np.argmax(predicted))
    return (f"It answers “{names[said]}” for every one of the {int(predicted.sum())} {which} {unit} and never "
            f"says “{names[1 - said]}”.")


def sizes_note(res, unit="images"):
    """How many examples the accuracies rest on: m_train and m_test."""
    m_train = int(res.confusion_train.sum())
    if res.confusion_test is None:
        return f"Measured on m_train = {m_train} training {unit}; there are no test {unit}, so m_test = 0."
    return (f"Measured on m_train = {m_train} training {unit} and m_test = {int(res.confusion_test.sum())} test "
            f"{unit}.")


def m_test_of(res):
    """m_test: how many test examples res's test accuracy rests on (0 without a test set)."""
    return 0 if res.confusion_test is None else int(res.confusion_test.sum())


def small_test_note(res, unit="images"):
    """A caution when the test accuracy rests on fewer than SMALL_TEST_SET examples, else None."""
    m_test = m_test_of(res)
    if not 0 < m_test < SMALL_TEST_SET:
        return None
    one = unit[:-1] if unit.endswith("s") else unit
    return (f"The test accuracy rests on only {m_test} test {unit}: one {one} is {100 / m_test:.0f}% of it, so "
            f"take it as a rough guide; more {unit} give a steadier number.")


def baseline_note(res, unit="images", names=None):
    """The accuracy of always answering the majority class, beside the neuron's (the sentence the page shows
    where accuracy is shown), and plainly when the neuron gives every example the same answer.

    Returns (learned, sentence): learned is False when the train accuracy is no better than that baseline; the
    page then says nothing about overfitting, since there was nothing learned to overfit. names: the class
    names as the page shows them (escaped), (y = 0, y = 1); default the model's."""
    names = tuple(names or res.model.class_names)
    has_test = res.confusion_test is not None
    cm, which = (res.confusion_test, "test") if has_test else (res.confusion_train, "training")
    acc = res.test_accuracy if has_test else res.train_accuracy
    label, share = baseline(cm)
    compare = f"{_always(label, names)} would score {share:.1%} on the {which} {unit}"
    one_class = one_class_answer(cm, names, which, unit)
    if not learned(res):
        train_label, train_share = baseline(res.confusion_train)
        words = f"The neuron has not learned to tell “{names[1]}” from “{names[0]}”: {compare}, and it scores {acc:.1%}"
        if has_test:
            words += (f" (on the training {unit}: {res.train_accuracy:.1%}, against {train_share:.1%} for "
                      f"{_always(train_label, names)})")
        return False, words + "." + (f" {one_class}" if one_class else "")
    if acc > share + 1e-9:
        words = f"For comparison, {compare}; the neuron scores {acc:.1%}."
    else:
        than = "no better" if acc >= share - 1e-9 else "worse"
        words = f"For comparison, {compare}; the neuron's {acc:.1%} is {than}."
    return True, words + (f" {one_class}" if one_class else "")


def _check_iterations(n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_ITERATIONS:
        raise InputError(f"The number of iterations must be a whole number from 0 to {MAX_ITERATIONS:,}; "
                         f"got {n!r}.")
    return int(n)


# ---------------------------------------------------------------- classifying one photo


@dataclass(frozen=True)
class Prediction:
    """probability : float, a = σ(wᵀx + b), the chance of class 1; label : 0 or 1; class_name : str;
    seen : uint8 ndarray (num_px, num_px) or (num_px, num_px, 3), the image as the neuron sees it;
    square : PIL.Image.Image, the square cut from the photo (cut once, shown as it is)."""

    probability: float
    label: int
    class_name: str
    seen: np.ndarray
    square: Image.Image


def classify_image(model, im, zoom=1.0, cx=0.5, cy=0.5):
    """Crop, resize, flatten, divide by 255 (as in training), then a = σ(wᵀx + b).

    Parameters
    ----------
    model : Model
    im : PIL.Image.Image, e.g. from core.data.images.load_image
    zoom, cx, cy : float
        As in core.data.images.crop_zoom: cut a square so that the object fills the frame.

    Returns
    -------
    Prediction
    """
    square = images.crop_zoom(im, zoom, cx, cy)
    steps = images.preprocess_steps(square, model.num_px, model.channels)
    a = float(predict_proba(model.w, model.b, steps["scaled"])[0, 0])   # x: (n_x, 1) -> a: scalar
    label = int(a > 0.5)
    return Prediction(probability=a, label=label, class_name=model.class_names[label], seen=steps["resized"],
                      square=square)


# ---------------------------------------------------------------- your own two classes


def check_class_name(name):
    """A class name the user typed: 1 to 30 letters, digits, spaces, - ' or . (so it is never markup)."""
    if not isinstance(name, str):
        raise InputError("A class name must be text.")
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if not name:
        raise InputError("Please give each class a name, for example “hotdog” and “not hotdog”.")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(f"Class names can be at most {MAX_NAME_LENGTH} characters; "
                         f"“{name[:MAX_NAME_LENGTH]}…” is longer.")
    if not all(ch.isalnum() or ch in _NAME_PUNCTUATION for ch in name):
        raise InputError("Class names may use only letters, digits, spaces, hyphens, apostrophes and "
                         "full stops; please rename the class.")
    return name


def check_class_names(name0, name1):
    """Both names checked, and different from each other: returns (name0, name1)."""
    name0, name1 = check_class_name(name0), check_class_name(name1)
    if name0.casefold() == name1.casefold():
        raise InputError(f"The two classes need different names; both are called “{name1}”.")
    return name0, name1


@dataclass
class OwnPhoto:
    """One photo of your own classes.

    image : PIL.Image.Image     its shorter side at most 256 px, its longer at most 512 unless long and thin (kept_copy)
    digest : str                a hash of its pixels: the same photo, however often uploaded, has the same one
    name : str                  its file name (at most 40 characters), or "a camera photo"
    upload_id : str or None     the uploader's file it came from, while the uploader holds that file; None for
                                a camera photo, and for a file of an uploader Streamlit emptied (the page was left)
    """

    image: Image.Image
    digest: str
    name: str
    upload_id: str | None = None


def read_photo(data, name="a camera photo", upload_id=None):
    """An OwnPhoto from a file's bytes (load_photo); raises InputError for a file that is not a usable photo."""
    im = load_photo(data)
    digest = hashlib.sha256(f"{im.mode} {im.size} ".encode() + im.tobytes()).hexdigest()
    return OwnPhoto(image=im, digest=digest, name=str(name)[:40], upload_id=upload_id)


SMALL_SIDE = 32   # px: a photo of your own classes smaller than this on a side is kept, with a word on what it adds


def _small(photo):
    """[("small", sentence)] for a photo smaller than SMALL_SIDE on a side (a 1 × 1 or 12 × 12 file was taken
    without a word), else []."""
    w, h = photo.image.size
    if min(w, h) >= SMALL_SIDE:
        return []
    return [("small", f"{photo.name} is only {w} × {h} pixels: the neuron sees it blown up to its image size, so "
                      "it adds little. A larger photo of the same thing would help more.")]


@dataclass
class OwnClasses:
    """The user's own two classes, kept for one browser session: what they typed, uploaded and trained.

    names : (str, str)              the classes' names, (y = 0, y = 1), checked by check_class_names
    photos : ([OwnPhoto], [OwnPhoto])   the photos of each class, in the order they were added
    reads : (dict, dict)            per class, each file now in its uploader: upload id -> the OwnPhoto read from
                                    it, or why it was refused (str); each file is read once
    model : Model or None           the neuron trained here, or imported from a file
    result : TrainResult or None    the training that made `model` (None for an imported one)
    note : str or None              what the student should know about that training (e.g. no test set)
    trained_on : tuple or None      the photos' digests when `result` was trained (see `stale`)
    trained_counts : (int, int)     how many photos of each class `result` was trained on
    imported : str or None          upload id of the last model file read (a file is read once)
    import_error : str or None      why that file was refused
    import_note : str or None       what the last import replaced and left alone, in one sentence
    generations : [int, int]        per class, bumped when that class is emptied, so its uploader (and only
                                    its) starts empty
    renamed : bool                  an imported model named the (empty) classes: the name boxes follow once
    """

    names: tuple = ("not hotdog", "hotdog")
    photos: tuple = field(default_factory=lambda: ([], []))
    reads: tuple = field(default_factory=lambda: ({}, {}))
    model: Model | None = None
    result: TrainResult | None = None
    note: str | None = None
    trained_on: tuple | None = None
    trained_counts: tuple = (0, 0)
    imported: str | None = None
    import_error: str | None = None
    import_note: str | None = None
    generations: list = field(default_factory=lambda: [0, 0])
    renamed: bool = False

    @property
    def images(self):
        """([Image], [Image]): the photos of class 0 and of class 1, each as kept_copy keeps it."""
        return tuple([p.image for p in group] for group in self.photos)

    @property
    def counts(self):
        """(photos of class 0, photos of class 1)."""
        return len(self.photos[0]), len(self.photos[1])

    def add(self, label, data, upload_id=None, name="a camera photo"):
        """Read one photo (bytes) into class `label`. Returns True if it was added, False when that upload or
        the same photo (by its pixels) is already in the class. Raises InputError for an unreadable photo or a
        full class."""
        group = self.photos[label]
        if upload_id is not None and any(p.upload_id == upload_id for p in group):
            return False
        if len(group) >= MAX_IMAGES_PER_CLASS:
            raise InputError(f"Each class holds at most {MAX_IMAGES_PER_CLASS} photos; the rest were skipped.")
        photo = read_photo(data, name, upload_id)
        if self.same_photo(label, photo.digest) is not None:
            return False
        group.append(photo)
        return True

    def same_photo(self, label, digest):
        """The photo of class `label` with this digest, or None."""
        return next((p for p in self.photos[label] if p.digest == digest), None)

    def sync(self, label, uploads, fresh=False):
        """Keep class `label` in step with the files its uploader holds now.

        A photo whose file left the uploader (its × was clicked) leaves the class; a new file is read (once)
        and added, unless it is not a usable photo, is the same photo as one already in the class, or the class
        is full. Photos not tied to a file (camera photos, photos kept from before) stay until `clear`; a file
        that is one of them takes it over, so that its × removes it.

        Parameters
        ----------
        uploads : list of (upload_id, name, read)
            The uploader's files in its order; read() returns a file's bytes, called only for a new upload id.
        fresh : bool
            The uploader is new and empty because Streamlit emptied it (the page was left, or a run did not draw
            it), not because the student removed its files: its photos are kept, no longer tied to files.

        Returns
        -------
        list of (kind, sentence)
            kind "refused", "duplicate" or "full": each file of the uploader that is not in the class, and why;
            kind "small": a file in the class smaller than SMALL_SIDE on a side (kept, with what it adds).
            Sent again on every call while the file is in the uploader, so a page can keep showing them.
        """
        group, reads = self.photos[label], self.reads[label]
        current = {uid for uid, _, _ in uploads}
        if fresh:
            for photo in group:
                photo.upload_id = None
        group[:] = [p for p in group if p.upload_id is None or p.upload_id in current]
        for uid in [uid for uid in reads if uid not in current]:
            del reads[uid]
        held, notes = {p.upload_id: p for p in group}, []
        for uid, name, read in uploads:
            if uid in held:
                notes += _small(held[uid])
                continue
            if uid not in reads:
                try:
                    reads[uid] = read_photo(read(), name, uid)
                except InputError as err:
                    reads[uid] = f"{str(name)[:40]}: {err}"
                except Exception:  # noqa: BLE001  (a decoder's bug: one sentence for this file, the rest still read)
                    _LOG.exception("read_photo failed on an upload")
                    reads[uid] = f"{str(name)[:40]}: {images.UNEXPECTED}"
            got = reads[uid]
            if isinstance(got, str):
                notes.append(("refused", got))
                continue
            same = self.same_photo(label, got.digest)
            if same is not None and got.image is not same.image:
                # the file's pixels are already held: keep its name, not a second decoded copy (200 uploads of
                # one photo held 200 copies, about 79 MB)
                got = reads[uid] = replace(got, image=same.image)
            if same is not None and same.upload_id is None:   # a photo kept from before: this file is it again
                same.upload_id = uid
            elif same is not None:
                notes.append(("duplicate", f"{got.name} is the same photo as {same.name}, already in this "
                                           "class, so it counts once."))
                continue
            elif len(group) >= MAX_IMAGES_PER_CLASS:
                notes.append(("full", f"Each class holds at most {MAX_IMAGES_PER_CLASS} photos; the rest were "
                                      "skipped."))
                break
            else:
                group.append(got)
                notes += _small(got)
            held[uid] = got
        return notes

    def in_both(self):
        """[(name in class 0, name in class 1)] of the photos that are in both classes (the same pixels)."""
        ones = {p.digest: p.name for p in self.photos[1]}
        return [(p.name, ones[p.digest]) for p in self.photos[0] if p.digest in ones]

    def in_both_note(self):
        """A plain sentence when some photos are in both classes, else None."""
        pairs = self.in_both()
        if not pairs:
            return None
        shown = "; ".join(f"{a} in “{self.names[0]}” is {b} in “{self.names[1]}”" for a, b in pairs[:3])
        more = f" and {len(pairs) - 3} more" if len(pairs) > 3 else ""
        return (f"{len(pairs)} photo{'s are' if len(pairs) > 1 else ' is'} in both classes ({shown}{more}): the "
                "neuron cannot learn two answers for one photo. Remove each from one of the classes.")

    def clear(self, label):
        """Forget the photos of one class (its uploader starts empty; the other class's keeps its files)."""
        self.photos[label].clear()
        self.reads[label].clear()
        self.generations[label] += 1

    def fingerprint(self):
        """The photos as they are now: their digests, class by class, in order."""
        return tuple(tuple(p.digest for p in group) for group in self.photos)

    @property
    def stale(self):
        """True when the photos changed since `result` was trained: it then tells of the photos of that time."""
        return self.result is not None and self.trained_on is not None and self.trained_on != self.fingerprint()

    def stale_note(self, names=None):
        """What a result trained on other photos is, in one sentence (names: as the page shows them)."""
        n0, n1 = names or self.names
        (was0, was1), (now0, now1) = self.trained_counts, self.counts
        return (f"These results are from your last training, on the photos you had then ({was1} of {n1} and "
                f"{was0} of {n0}); the photos have changed since (now {now1} and {now0}), so press “Train on my "
                "photos” to see what the neuron learns from the photos you have now.")

    def train(self, num_px, channels, alpha, iters, lambd, progress=None):
        """Train a neuron on the photos (as the bundled tasks are trained); raises InputError when there are
        too few photos. Returns the TrainResult, also kept as self.result, its model as self.model."""
        data = own_data(*self.images, num_px=num_px, channels=channels, names=self.names)
        self.result = train(data.X_train, data.Y_train, data.X_test, data.Y_test, num_px=num_px,
                            channels=channels, class_names=self.names, alpha=alpha, num_iterations=iters,
                            lambd=lambd, source="your photos", progress=progress)
        self.model, self.note, self.import_note = self.result.model, data.note, None
        self.trained_on, self.trained_counts = self.fingerprint(), self.counts
        return self.result

    def import_model(self, upload_id, data):
        """Read a model file once (per upload id). On success it replaces the neuron, and only the neuron: the
        photos stay, and so do the classes' names while a class has photos (the names belong to those photos);
        two empty classes take the neuron's names. `import_note` says what was replaced. On failure the reason
        is kept in import_error. Returns True when a new model was loaded."""
        if upload_id == self.imported:
            return False
        try:
            model = model_from_json(data)
        except InputError as err:
            self.imported, self.import_error = upload_id, str(err)
            return False
        zero, one = model.class_names
        said = [f"Imported a neuron that tells “{one}” (y = 1) from “{zero}” (y = 0)"]
        if self.result is not None:
            said.append("it replaced the neuron you trained")
        elif self.model is not None:
            said.append("it replaced the neuron imported before")
        if any(self.counts):
            said.append("your photos and your classes' names are unchanged")
        else:
            said.append("your two classes, still empty, now have its names")
            self.names, self.renamed = model.class_names, True
        # marked as imported only once it has been read
        self.imported, self.model, self.result, self.note = upload_id, model, None, None
        self.import_error, self.import_note = None, f"{said[0]}: {'; '.join(said[1:])}."
        return True


@dataclass(frozen=True)
class OwnData:
    """Your photos in course shapes: X_train (n_x, m_train), Y_train (1, m_train), X_test, Y_test (None if
    there are too few photos for a test set), num_px, channels, and a note for the student (or None)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray | None
    Y_test: np.ndarray | None
    num_px: int
    channels: int
    note: str | None


def own_data(images0, images1, num_px=32, channels=3, names=None):
    """Build X and Y from two lists of Pillow images (class 0 and class 1; `names`: theirs, for the messages).

    Each image is cut to its centre square (core.data.images.crop_zoom at zoom 1), then resized, flattened and
    divided by 255: what classify_image does to a photo at zoom 1, so a training photo, classified, gets the a
    it had in training (a whole photo squashed into a square would be another picture).

    With at least MIN_FOR_TEST_SPLIT images in each class, a fixed 20% of each class (chosen with seed 0)
    is kept for testing; otherwise every image trains and `note` says there is no test.
    """
    if num_px not in OWN_NUM_PX_CHOICES:
        raise InputError(f"The image size must be one of {OWN_NUM_PX_CHOICES}; got {num_px!r}.")
    said = [f"“{n}”" for n in names] if names else ["The first class", "The second class"]
    for name, group in zip(said, (images0, images1), strict=True):
        if len(group) < MIN_IMAGES_PER_CLASS:
            n = len(group)
            raise InputError(f"{name} has {n} photo{'s' if n != 1 else ''}; add at least "
                             f"{MIN_IMAGES_PER_CLASS} to each class before training.")
    rng = np.random.default_rng(0)
    split = min(len(images0), len(images1)) >= MIN_FOR_TEST_SPLIT
    train_cols, test_cols, train_y, test_y = [], [], [], []
    for label, group in ((0, images0), (1, images1)):
        # the centre square, as classify_image cuts a photo at zoom 1: training and classifying see the same
        xs = [images.preprocess(images.crop_zoom(im), num_px, channels) for im in group]   # each (n_x, 1)
        order = rng.permutation(len(xs))
        n_test = max(2, round(OWN_TEST_FRACTION * len(xs))) if split else 0
        test_cols += [xs[i] for i in order[:n_test]]
        train_cols += [xs[i] for i in order[n_test:]]
        test_y += [label] * n_test
        train_y += [label] * (len(xs) - n_test)
    note = None if split else (
        f"With fewer than {MIN_FOR_TEST_SPLIT} photos in a class, every photo is used for training, so there "
        "is no test accuracy yet: add more photos to see how well the neuron does on photos it has not seen.")
    return OwnData(
        X_train=np.hstack(train_cols), Y_train=np.array([train_y], dtype=float),      # (n_x, m), (1, m)
        X_test=np.hstack(test_cols) if split else None,
        Y_test=np.array([test_y], dtype=float) if split else None,
        num_px=num_px, channels=channels, note=note,
    )


# ---------------------------------------------------------------- model files


def model_to_json(model):
    """The model as UTF-8 JSON bytes (weights as decimal numbers that read back exactly)."""
    doc = {
        "format": MODEL_FORMAT, "version": MODEL_VERSION,
        "num_px": model.num_px, "channels": model.channels, "class_names": list(model.class_names),
        "w": [float(v) for v in model.w.ravel()], "b": float(model.b),
        "settings": {k: v for k, v in model.settings.items() if k in _SETTING_KEYS},
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


_BAD_FILE = "This is not a Basin model file; please choose a .json file that Basin exported."


def model_from_json(data):
    """Read a model file, trusting nothing in it.

    Raises
    ------
    InputError
        With one sentence, for a file that is empty, too large, not JSON, not a Basin model, or has
        wrong keys, shapes, types or values (NaN, infinity, weird class names).
    """
    data = bytes(data)
    if not data:
        raise InputError("The model file is empty; please choose a .json file that Basin exported.")
    if len(data) > MAX_MODEL_BYTES:
        # in bytes: the uploader lets up to 1,048,576 through, and "1.0 MB, at most 1 MB" would contradict itself
        raise InputError(f"This file is {len(data):,} bytes, larger than any Basin model (at most "
                         f"{MAX_MODEL_BYTES:,} bytes, {MAX_MODEL_BYTES / 1e6:g} MB); please choose the exported "
                         ".json file.")
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputError(_BAD_FILE) from None
    if not isinstance(doc, dict) or doc.get("format") != MODEL_FORMAT:
        raise InputError(_BAD_FILE)
    if doc.get("version") != MODEL_VERSION:
        raise InputError(f"This model file has version {str(doc.get('version'))[:20]!r}; this Basin reads "
                         f"version {MODEL_VERSION} only.")
    if set(doc) != _MODEL_KEYS:
        missing, extra = sorted(_MODEL_KEYS - set(doc)), sorted(set(doc) - _MODEL_KEYS)
        what = f"missing {', '.join(missing)}" if missing else f"unexpected {', '.join(extra)[:60]}"
        raise InputError(f"This model file is damaged ({what}); please export the model again.")
    num_px, channels = doc["num_px"], doc["channels"]
    if not _is_int(num_px) or not 1 <= num_px <= MAX_MODEL_NUM_PX:
        raise InputError(f"The model's image size num_px must be a whole number from 1 to {MAX_MODEL_NUM_PX}.")
    if not _is_int(channels) or channels not in (1, 3):
        raise InputError("The model's channels must be 1 (grayscale) or 3 (colour).")
    names = doc["class_names"]
    if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) for n in names):
        raise InputError("The model file must name exactly two classes.")
    names = check_class_names(*names)
    w_list, n_x = doc["w"], num_px * num_px * channels
    if not isinstance(w_list, list) or len(w_list) != n_x:
        raise InputError(f"The model's weights w must be a list of {n_x:,} numbers "
                         f"(num_px × num_px × channels); the file does not match.")
    if not all(_is_number(v) for v in w_list) or not _is_number(doc["b"]):
        raise InputError("The model's weights and bias must be plain numbers.")
    too_large = InputError(f"The model's weights and bias must be between −{MAX_MODEL_WEIGHT:,.0f} and "
                           f"{MAX_MODEL_WEIGHT:,.0f}; a trained neuron's are far smaller, so this file is damaged.")
    try:  # an integer of 309 digits or more is too large for a float: OverflowError
        w = np.array(w_list, dtype=np.float64).reshape(n_x, 1)
        b = float(doc["b"])
    except OverflowError:
        raise too_large from None
    if not (np.all(np.isfinite(w)) and math.isfinite(b)):
        raise InputError("The model's weights and bias must be finite numbers.")
    if np.max(np.abs(w), initial=0.0) > MAX_MODEL_WEIGHT or abs(b) > MAX_MODEL_WEIGHT:
        raise too_large
    return Model(w=w, b=b, num_px=num_px, channels=channels, class_names=names,
                 settings=_check_settings(doc["settings"]))


def _as_float(v):
    """float(v), or infinity for an integer too large for a float (float() raises OverflowError)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_settings(settings):
    bad = InputError("The model's training settings are not what Basin writes; please export the model again.")
    if not isinstance(settings, dict) or not set(settings) <= set(_SETTING_KEYS):
        raise bad
    out = {}
    for key, value in settings.items():
        kind = _SETTING_KEYS[key]
        if kind is str:
            if not isinstance(value, str) or len(value) > 80 or not value.isprintable():
                raise bad
            out[key] = value
        elif kind is int:
            if not _is_int(value) or not 0 <= value <= MAX_ITERATIONS:
                raise bad
            out[key] = value
        else:
            if not _is_number(value) or not 0 <= _as_float(value) <= MAX_MODEL_SETTING:
                raise bad
            out[key] = float(value)
    return out


# ---------------------------------------------------------------- page helpers (still no streamlit)


ALPHA_CHOICES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
ITERATION_CHOICES = (0, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000)
LAMBDA_CHOICES = (0.0, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0)


TABS = {"train": "Train on bundled images", "photo": "Classify a photo", "own": "Your own two classes"}
"""The Classify page's tabs: link token -> label."""


@dataclass(frozen=True)
class ClassifyParams(QueryState):
    """The shareable settings of the Classify page (field names = widget keys = URL keys)."""

    data: str = setting("faces", choices=("faces", "digits"))
    digit: int = setting(3, lo=0, hi=9)
    versus: str = setting("rest", choices=("rest", *map(str, range(10))))
    alpha: float = setting(DEFAULT_ALPHA, lo=1e-4, hi=10.0, choices=ALPHA_CHOICES)
    iters: int = setting(DEFAULT_ITERATIONS, lo=0, hi=MAX_ITERATIONS, choices=ITERATION_CHOICES)
    lambd: float = setting(DEFAULT_LAMBDA, lo=0.0, hi=100.0, choices=LAMBDA_CHOICES)
    # what classifies a photo: the face finder, the neuron of the first tab, or the student's own neuron (own falls
    # back to the finder in a session without one)
    clf_which: str = setting("finder", choices=("finder", "bundled", "own"))
    tab: str = setting("train", choices=tuple(TABS))   # the open tab (its widget: clf_tab, by label)




def bundled_task(p):
    """The core.data.datasets.BinaryTask that ClassifyParams p describes."""
    if p.data == "faces":
        return binary_task("faces")
    return binary_task("digits", positive=p.digit, negative=None if p.versus == "rest" else int(p.versus))


def class_samples(task):
    """[(class name, training images of that class)] for class 1 first, then class 0."""
    y = task.Y_train[0]
    return [(task.class_names[1], task.images_train[y == 1]), (task.class_names[0], task.images_train[y == 0])]


def example_steps(task):
    """core.data.images.preprocess_steps for the first training image of class 1."""
    first = int(np.flatnonzero(task.Y_train[0] == 1)[0])
    return images.preprocess_steps(Image.fromarray(task.images_train[first]), task.num_px, task.channels)


KEPT_SHORTER_SIDE = 256   # px: a photo of your own classes is kept with its shorter side at most this ...
KEPT_LONGER_SIDE = 512    # ... and its longer side at most this (a 4:3 phone photo: 341 × 256, 262 kB) ...
KEPT_MIN_SIDE = 64        # ... unless its shorter side would fall below this, the largest image size offered


def kept_copy(im):
    """The copy of a photo that your own classes keep, and that a neuron trained on them reads when it classifies.

    Its shorter side is at most KEPT_SHORTER_SIDE and its longer at most KEPT_LONGER_SIDE, so the centre square
    the neuron trains on keeps up to 256 px, and a zoom of 4 still cuts 64 px, the largest image size offered.
    A long, thin photo keeps its shorter side at KEPT_MIN_SIDE (or its own, if smaller) even when its longer
    side is then above KEPT_LONGER_SIDE: a 2000 × 120 banner kept at 512 × 31 trained on a 31 px square blown up
    to 64 (at most 1280 × 64 at the 20 : 1 limit, no more pixels than a phone photo's copy).
    Classifying reads this copy too: a training photo, classified, is resized from the same pixels as in
    training (from the whole photo, a tall one's square came from 300 px against 110 in training).

    >>> from PIL import Image
    >>> kept_copy(Image.new("RGB", (4000, 3000))).size, kept_copy(Image.new("RGB", (300, 700))).size
    ((341, 256), (219, 512))
    >>> kept_copy(Image.new("RGB", (200, 100))).size, kept_copy(Image.new("RGB", (2000, 120))).size
    ((200, 100), (1067, 64))
    """
    w, h = im.size
    scale = min(1.0, KEPT_SHORTER_SIDE / min(w, h),
                max(KEPT_LONGER_SIDE / max(w, h), KEPT_MIN_SIDE / min(w, h)))
    if scale == 1.0:
        return im.copy()
    return im.resize((max(1, round(w * scale)), max(1, round(h * scale))), images.RESAMPLE, reducing_gap=2.0)


def load_photo(data):
    """An uploaded photo for your own classes: checked by core.data.images.load_image, kept small (kept_copy)."""
    return kept_copy(images.load_image(data))


def own_samples(names, groups, num_px=48):
    """[(name, uint8 (k, num_px, num_px, 3))] of your photos as squares, for sample_grid (class 1 first)."""
    out = []
    for label in (1, 0):
        squares = [np.asarray(images.to_mode(images.crop_zoom(im), 3).resize((num_px, num_px)))
                   for im in groups[label]]
        out.append((names[label], np.array(squares, dtype=np.uint8).reshape(-1, num_px, num_px, 3)))
    return out
