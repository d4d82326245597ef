"""Benchmarks of the learning core. Prints medians and ratios; asserts nothing.

    python benchmarks/core_bench.py [--repeats 5]

1. J(w, b) over a grid for m = 1,000 examples: the vectorised, chunked core.maths.surfaces.cost_grid (and the full
   cost_surface with gradient and Hessian) against a plain Python triple loop, on the same data in the same run.
   The loop is timed on a slice of the grid and scaled up, so the run stays short; the slice is stated.
2. 2,000 steps of batch gradient descent on the face set against scikit-learn's LogisticRegression.fit on the
   same split: time and test accuracy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data.datasets import binary_task  # noqa: E402
from core.maths.logistic import accuracy, gradient_descent  # noqa: E402
from core.maths.surfaces import cost_grid, cost_grid_loop, cost_surface  # noqa: E402


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def grid_benchmark(repeats):
    rng = np.random.default_rng(0)
    m = 1000
    x = rng.normal(size=(1, m))
    y = (x + rng.normal(size=(1, m)) > 0).astype(float)
    print(f"\nCost grid, m = {m} (medians of {repeats})")
    print(f"{'grid':>9} {'loop (s)':>10} {'cost_grid (s)':>14} {'speed-up':>9} {'cost_surface (s)':>17}")
    for n in (100, 200):
        W = B = np.linspace(-8, 8, n)
        rows = 4                                            # the loop runs 4 rows of b and is scaled up
        loop_rows = median_time(lambda: cost_grid_loop(x, y, W, B[:rows]), max(1, repeats // 2))  # noqa: B023 (timed at once, in this iteration)
        loop = loop_rows * n / rows
        vec = median_time(lambda: cost_grid(x, y, W, B), repeats)  # noqa: B023 (timed at once, in this iteration)
        full = median_time(lambda: cost_surface(x, y, W, B), repeats)  # noqa: B023 (timed at once, in this iteration)
        assert np.allclose(cost_grid_loop(x, y, W, B[:2]), cost_grid(x, y, W, B[:2]))
        print(f"{n:>4}×{n:<4} {loop:>10.2f} {vec:>14.4f} {loop / vec:>8.0f}× {full:>17.4f}")
    print(f"  (loop timed on {rows} rows of b and scaled to the full grid)")


def training_benchmark(repeats):
    from sklearn.linear_model import LogisticRegression

    task = binary_task("faces", seed=0)
    n_x = task.X_train.shape[0]
    print(f"\nFaces: X_train {task.X_train.shape}, X_test {task.X_test.shape} (medians of {repeats})")

    def ours():
        return gradient_descent(np.zeros((n_x, 1)), 0.0, task.X_train, task.Y_train, 0.005, 2000,
                                record_params=False)

    def theirs():
        return LogisticRegression(C=np.inf, max_iter=10_000).fit(task.X_train.T, task.Y_train[0])

    t_ours, t_theirs = median_time(ours, repeats), median_time(theirs, repeats)
    run, ref = ours(), theirs()
    acc_ours = accuracy(run.final_w, run.final_b, task.X_test, task.Y_test)
    acc_theirs = ref.score(task.X_test.T, task.Y_test[0])
    print(f"{'':28} {'time (s)':>9} {'test accuracy':>14}")
    print(f"{'gradient descent, 2,000 steps':28} {t_ours:>9.3f} {acc_ours:>14.3f}")
    print(f"{'scikit-learn lbfgs (C=inf)':28} {t_theirs:>9.3f} {acc_theirs:>14.3f}")
    print(f"  ratio ours / scikit-learn: {t_ours / t_theirs:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    grid_benchmark(args.repeats)
    training_benchmark(args.repeats)


if __name__ == "__main__":
    main()
