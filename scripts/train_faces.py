"""Train the two bundled face neurons (edges and pixels), and the edges neuron's framing neuron (which chooses where
the box goes), and write data/face_neurons.json.

Run from the repo root after scripts/build_data.py (it reads data/faces.npz and data/scenes.npz):

    python scripts/train_faces.py            # writes data/face_neurons.json
    python scripts/train_faces.py OUT_DIR    # writes into OUT_DIR instead

The recipe is core/lessons/face_training.py's, with its defaults and seed 0, so the result is the same on every run
(on the same numpy). The Classify page can rerun the same recipe.
"""

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.lessons import face_training  # noqa: E402


def build(out_dir=ROOT / "data"):
    finders = {}
    for rep in ("edges", "pixels"):
        start = time.perf_counter()
        finders[rep] = face_training.train_finder(rep, progress=lambda text: print("  " + text))
        f = finders[rep]
        print(f"{rep}: {time.perf_counter() - start:.1f} s, LFW test accuracy {f.test_accuracy:.1%}, "
              f"threshold {f.neuron.threshold:.3f}")
    path = Path(out_dir) / face_training.NEURONS_FILE
    path.write_text(json.dumps(face_training.to_document(finders), indent=None) + "\n")
    return path


if __name__ == "__main__":
    out = build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "data")
    print(f"{out}  {out.stat().st_size:,} bytes")
