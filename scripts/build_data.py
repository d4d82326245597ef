"""Regenerate every bundled file under data/ from scikit-image and scikit-learn.

These two packages are development dependencies only: the app reads the .npz
files this script writes and never imports them. Run from the repo root:

    python scripts/build_data.py            # writes data/*.npz
    python scripts/build_data.py OUT_DIR    # writes into OUT_DIR instead

The output is deterministic: the same package versions give the same arrays,
and (with the same zlib) the same bytes, because every zip entry gets a fixed
timestamp. See data/DATA.md for provenance, licences and how values were
quantised.
"""

import io
import sys
import zipfile
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # earliest zip date; keeps the bytes reproducible


def save_npz(path, **arrays):
    """Write arrays like np.savez_compressed, but with fixed zip timestamps.

    np.savez_compressed stamps each entry with the current time, so the bytes
    would change on every run. The result loads with np.load as usual.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buffer.getvalue(), compresslevel=9)


def quantise(values, scale, dtype):
    """round(values * scale) as an unsigned integer type, refusing to overflow or lose data."""
    q = np.round(np.asarray(values, dtype=np.float64) * scale)
    info = np.iinfo(dtype)
    assert q.min() >= info.min and q.max() <= info.max, "values do not fit in " + str(dtype)
    return q.astype(dtype)


def faces_arrays():
    """skimage.data.lfw_subset(): 200 grey images 25x25 in [0, 1]; first 100 faces, last 100 not."""
    from skimage.data import lfw_subset

    images = lfw_subset()  # (200, 25, 25) float64 in [0, 1]
    labels = np.r_[np.ones(100), np.zeros(100)]
    return {"images": quantise(images, 255, np.uint8), "labels": labels.astype(np.uint8)}


def digits_arrays():
    """sklearn load_digits(): 1797 images 8x8 with values 0..16, stretched to 0..255."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return {
        "images": quantise(digits.images, 255 / 16, np.uint8),
        "labels": digits.target.astype(np.uint8),
    }


def breast_cancer_arrays():
    """sklearn load_breast_cancer(): the "mean radius" column (3 decimals) and the target."""
    from sklearn.datasets import load_breast_cancer

    cancer = load_breast_cancer()
    column = list(cancer.feature_names).index("mean radius")
    radius = cancer.data[:, column]
    radius_milli = quantise(radius, 1000, np.uint16)
    assert np.array_equal(radius_milli / 1000, radius), "mean radius has more than 3 decimals"
    # sklearn's target: 0 = malignant, 1 = benign (see target_names); stored as it is.
    return {"mean_radius_milli": radius_milli, "target": cancer.target.astype(np.uint8)}


def iris_arrays():
    """sklearn load_iris(): the "petal width (cm)" column (1 decimal) and the species."""
    from sklearn.datasets import load_iris

    iris = load_iris()
    column = list(iris.feature_names).index("petal width (cm)")
    width = iris.data[:, column]
    width_tenths = quantise(width, 10, np.uint8)
    assert np.array_equal(width_tenths / 10, width), "petal width has more than 1 decimal"
    # species: 0 = setosa, 1 = versicolor, 2 = virginica
    return {"petal_width_tenths": width_tenths, "species": iris.target.astype(np.uint8)}


# Face-free photos for "not a face" windows: random crops and hard-negative mining (core/lessons/face_training.py).
# Never the photos Basin is measured on (benchmarks/classify_photos.py). Licences in data/DATA.md.
SCENES = ("clock", "text", "grass", "gravel", "hubble_deep_field", "retina", "immunohistochemistry",
          "cell")


def scenes_arrays():
    """The SCENES of skimage.data as grey photos, each shrunk as the scan shrinks a photo (shorter side 200)."""
    import skimage.data
    from PIL import Image

    sys.path.insert(0, str(DATA_DIR.parent))
    from core.lessons.detector import work_copy

    out = {}
    for name in SCENES:
        image = Image.fromarray(getattr(skimage.data, name)())
        out[name] = np.round(work_copy(image)).astype(np.uint8)
    return out


BUILDERS = {
    "faces.npz": faces_arrays,
    "digits.npz": digits_arrays,
    "breast_cancer.npz": breast_cancer_arrays,
    "iris.npz": iris_arrays,
    "scenes.npz": scenes_arrays,
}


def build(out_dir=DATA_DIR):
    """Write every bundled .npz file into out_dir; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for filename, make in BUILDERS.items():
        path = out_dir / filename
        save_npz(path, **make())
        paths.append(path)
    return paths


if __name__ == "__main__":
    for path in build(sys.argv[1] if len(sys.argv) > 1 else DATA_DIR):
        print(f"{path}  {path.stat().st_size:,} bytes")
