"""A single neuron trained with our gradient descent on the bundled faces, against scikit-learn."""

import numpy as np
import pytest

from core.data.datasets import binary_task
from core.maths.logistic import accuracy, gradient_descent

SEEDS = range(10)


@pytest.fixture(scope="module")
def accuracies():
    from sklearn.linear_model import LogisticRegression

    ours, theirs = [], []
    for seed in SEEDS:
        task = binary_task("faces", seed=seed)
        run = gradient_descent(np.zeros((task.X_train.shape[0], 1)), 0.0, task.X_train, task.Y_train,
                               alpha=0.005, num_iterations=2000, record_params=False)
        ours.append(accuracy(run.final_w, run.final_b, task.X_test, task.Y_test))
        # C = inf: no penalty, the same unregularised log-loss our gradient descent minimises.
        ref = LogisticRegression(C=np.inf, max_iter=10_000).fit(task.X_train.T, task.Y_train[0])
        theirs.append(ref.score(task.X_test.T, task.Y_test[0]))
    return np.array(ours), np.array(theirs)


def test_faces_test_accuracy_is_within_one_point_of_scikit_learn(accuracies):
    # One test split holds 40 images (one image = 2.5 points), so compare the mean over ten seeded splits
    # (400 test predictions each side, one point = 4 images).
    ours, theirs = accuracies
    assert abs(ours.mean() - theirs.mean()) <= 0.01, (ours, theirs)


def test_a_single_neuron_tells_faces_from_non_faces(accuracies):
    ours, _ = accuracies
    assert ours.mean() >= 0.95 and ours.min() >= 0.9
