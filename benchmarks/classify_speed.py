"""Classify page budgets: training on faces (2,000 iterations, ≤ 1 s) and classifying one upload (≤ 100 ms).

Medians of several repeats, each next to a baseline measured in the same run (scikit-learn's
LogisticRegression fit on the same split, with the same objective: C = 1/λ).
Run: python benchmarks/classify_speed.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.linear_model import LogisticRegression  # noqa: E402

from core.data.datasets import binary_task  # noqa: E402
from core.data.images import load_image  # noqa: E402
from core.lessons import classify  # noqa: E402

REPEATS = 7
PHOTO = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "face.jpg"


def median_seconds(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_photo():
    """A 12-megapixel JPEG, like a phone's, made from the small fixture (resized up)."""
    import io

    from PIL import Image
    im = Image.open(PHOTO).convert("RGB").resize((4000, 3000))
    buffer = io.BytesIO()
    im.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def main():
    task = binary_task("faces")
    sk = LogisticRegression(C=1.0 / classify.DEFAULT_LAMBDA, max_iter=10_000)
    t_sk = median_seconds(lambda: sk.fit(task.X_train.T, task.Y_train.ravel()))
    t_train = median_seconds(lambda: classify.train_task(task))
    res = classify.train_task(task)
    print(f"train faces, {classify.DEFAULT_ITERATIONS} iterations: median {t_train * 1000:.0f} ms (budget 1000 ms); "
          f"scikit-learn fit {t_sk * 1000:.1f} ms; ratio {t_train / t_sk:.0f}x")
    print(f"  accuracy: train {res.train_accuracy:.1%}, test {res.test_accuracy:.1%}; "
          f"scikit-learn test {sk.score(task.X_test.T, task.Y_test.ravel()):.1%}")
    t_cmp = median_seconds(lambda: classify.compare_learning_rates(task), repeats=3)
    print(f"three learning rates: median {t_cmp * 1000:.0f} ms")

    for label, data in (("small fixture photo", PHOTO.read_bytes()), ("12-megapixel JPEG", big_photo())):
        t_cls = median_seconds(lambda d=data: classify.classify_image(res.model, load_image(d), 1.4, 0.55, 0.7),
                               repeats=15)
        t_predict = median_seconds(lambda: sk.predict_proba(task.X_test.T[:1]), repeats=15)
        print(f"classify one upload ({label}, {len(data) / 1e6:.2f} MB): decode + crop + preprocess + predict "
              f"median {t_cls * 1000:.1f} ms (budget 100 ms); scikit-learn predict_proba alone "
              f"{t_predict * 1000:.2f} ms")


if __name__ == "__main__":
    main()
