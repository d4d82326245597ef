"""More training faces from the same faces: small shifts, scales, rotations, mirrors, brightness and contrast.

A real photo never frames a face exactly as the training set does. Showing the neuron each face a little
moved, bigger or smaller, tilted, mirrored, darker or paler teaches it that these changes do not matter.
Everything is drawn from np.random.default_rng(seed): the same seed gives the same images.
"""

import numpy as np

# How far each change may go (drawn uniformly in ±range).
MAX_SHIFT = 2.0        # pixels
MAX_LOG_SCALE = 0.1    # the face grows or shrinks by up to about 10 %
MAX_ROTATION = 10.0    # degrees
MAX_BRIGHTNESS = 30.0  # grey levels added
MAX_LOG_CONTRAST = 0.3  # contrast multiplied by e^±0.3 (about 0.74 to 1.35)


def warp(image, angle_deg=0.0, scale=1.0, shift=(0.0, 0.0), mirror=False):
    """Rotate, scale and shift one image about its centre (bilinear; the border pixels are repeated outside).

    image : ndarray of shape (h, w)
    Returns ndarray of shape (h, w), float64.
    """
    h, w = image.shape
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float64)
    cy, cx = (h - 1) / 2, (w - 1) / 2
    # Output pixel (r, c) reads the source point that the inverse transformation sends it to.
    y, x = rows - cy - shift[0], cols - cx - shift[1]
    t = np.deg2rad(angle_deg)
    sy = (np.cos(t) * y - np.sin(t) * x) / scale + cy
    sx = (np.sin(t) * y + np.cos(t) * x) / scale + cx
    if mirror:
        sx = (w - 1) - sx
    return _bilinear(np.asarray(image, dtype=np.float64), sy, sx)


def _bilinear(image, sy, sx):
    h, w = image.shape
    sy, sx = np.clip(sy, 0, h - 1), np.clip(sx, 0, w - 1)
    y0, x0 = np.minimum(np.floor(sy).astype(int), h - 2), np.minimum(np.floor(sx).astype(int), w - 2)
    fy, fx = sy - y0, sx - x0
    top = image[y0, x0] * (1 - fx) + image[y0, x0 + 1] * fx
    bottom = image[y0 + 1, x0] * (1 - fx) + image[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def augment(images, copies, seed=0):
    """`copies` changed versions of every image.

    images : ndarray of shape (k, h, w), grey levels 0..255
    copies : int
    Returns ndarray of shape (k * copies, h, w), float64 in [0, 255]: image i's copies are rows
    i * copies ... (i + 1) * copies − 1.
    """
    rng = np.random.default_rng(seed)
    images = np.asarray(images, dtype=np.float64)
    out = np.empty((len(images) * copies, *images.shape[1:]))
    for i, image in enumerate(images):
        for j in range(copies):
            angle = rng.uniform(-MAX_ROTATION, MAX_ROTATION)
            scale = np.exp(rng.uniform(-MAX_LOG_SCALE, MAX_LOG_SCALE))
            shift = rng.uniform(-MAX_SHIFT, MAX_SHIFT, size=2)
            mirror = bool(rng.integers(2))
            moved = warp(image, angle, scale, shift, mirror)
            contrast = np.exp(rng.uniform(-MAX_LOG_CONTRAST, MAX_LOG_CONTRAST))
            brightness = rng.uniform(-MAX_BRIGHTNESS, MAX_BRIGHTNESS)
            mean = moved.mean()
            out[i * copies + j] = np.clip((moved - mean) * contrast + mean + brightness, 0, 255)
    return out


def random_crops(photos, count, seed=0, size=25, min_side=25):
    """Random square crops of face-free photos, resized to size × size: realistic "not a face" windows.

    photos : list of ndarrays of shape (h, w), grey levels 0..255
    count : int
    Returns ndarray of shape (count, size, size), float64.
    Each crop picks a photo, a side between min_side and the photo's shorter side (evenly in log scale, as a
    scan's pyramid does) and a position, then shrinks the square to size × size by averaging blocks of pixels.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((count, size, size))
    for k in range(count):
        photo = photos[rng.integers(len(photos))]
        h, w = photo.shape
        side = int(round(np.exp(rng.uniform(np.log(min_side), np.log(min(h, w))))))
        top, left = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
        out[k] = shrink(photo[top:top + side, left:left + side], size)
    return out


def shrink(square, size):
    """Resize a square array to size × size by area averaging (bilinear when it is enlarged)."""
    square = np.asarray(square, dtype=np.float64)
    side = square.shape[0]
    if side == size:
        return square.copy()
    if side < size:
        grid = (np.arange(size) + 0.5) * side / size - 0.5
        return _bilinear(square, grid[:, None] + 0 * grid[None, :], 0 * grid[:, None] + grid[None, :])
    edges = np.round(np.linspace(0, side, size + 1)).astype(int)
    sums = np.add.reduceat(np.add.reduceat(square, edges[:-1], axis=0), edges[:-1], axis=1)
    counts = np.diff(edges)[:, None] * np.diff(edges)[None, :]
    return sums / counts


def face_parts(images, count, seed=0, min_side=6, max_side=18):
    """Parts of faces blown up to the whole window (an eye, a cheek, a mouth): "not a face" on their own.

    A face finder must frame the whole face; without these it happily calls a close-up of a cheek a face.
    images : ndarray of shape (k, h, w), grey levels; count : int
    Returns ndarray of shape (count, h, w), float64.
    """
    rng = np.random.default_rng(seed)
    images = np.asarray(images, dtype=np.float64)
    size = images.shape[1]
    out = np.empty((count, size, size))
    for k in range(count):
        image = images[rng.integers(len(images))]
        side = int(rng.integers(min_side, max_side + 1))
        top, left = rng.integers(0, size - side + 1), rng.integers(0, size - side + 1)
        out[k] = shrink(image[top:top + side, left:left + side], size)
    return out


def off_centre(faces, photos, count, seed=0, size=25, max_iou=0.4, min_iou=0.1):
    """Windows that cut through a face without framing it: "not a face" though part of one is in them.

    A scan sees such windows all around every face: a little beside it, above it with the hair, or much larger
    with the face in one corner. Each one here pastes a face (size × size) at a random place in a random square
    of a face-free photo, then cuts a window (side from 0.6 to 1.8 times the face's) whose overlap (intersection
    over union) with the face is between min_iou and max_iou, and shrinks it to size × size.
    faces : ndarray (k, size, size); photos : list of ndarrays (h, w), grey levels 0..255; count : int
    Returns ndarray of shape (count, size, size), float64.
    """
    rng = np.random.default_rng(seed)
    faces = np.asarray(faces, dtype=np.float64)
    canvas = 3 * size
    out = np.empty((count, size, size))
    k = 0
    while k < count:
        photo = photos[rng.integers(len(photos))]
        h, w = photo.shape
        side = int(rng.integers(min(canvas, h, w), min(h, w) + 1))
        top, left = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
        background = shrink(photo[top:top + side, left:left + side], canvas)
        ft, fl = rng.integers(0, canvas - size + 1, size=2)
        background[ft:ft + size, fl:fl + size] = faces[rng.integers(len(faces))]
        for _ in range(20):            # a window that overlaps the face, but not by much
            s = int(round(size * np.exp(rng.uniform(np.log(0.6), np.log(1.8)))))
            wt, wl = rng.integers(0, canvas - s + 1, size=2)
            dy = max(0, min(wt + s, ft + size) - max(wt, ft))
            dx = max(0, min(wl + s, fl + size) - max(wl, fl))
            iou = dy * dx / (s * s + size * size - dy * dx)
            if min_iou <= iou <= max_iou:
                out[k] = shrink(background[wt:wt + s, wl:wl + s], size)
                k += 1
                break
    return out


# How a window frames a face (see `framings`). "well": the face fills the window, as the training faces do;
# the others frame it wrongly: moved by a quarter to more than half of the window, a part of the face, or the face
# small inside a larger window.
FRAMINGS = ("well", "shifted", "part", "wide")
FRAMED_FACE = 40   # the face's side in the canvas it is pasted into (pixels): windows cut from it are shrunk to 25


def framing_window(kind, rng, face=FRAMED_FACE):
    """One window (top, left, side) around a face at (0, 0, face), framed as `kind` says (see FRAMINGS).

    well    : side within ±10 % of the face's, centre moved at most 5 % of the side each way;
    shifted : side within ±15 %, centre moved 25 % to 60 % of the side, in a random direction;
    part    : side 30 % to 65 % of the face's, inside the face (an eye, a cheek, half a face);
    wide    : the face is 40 % to 70 % of the window's side, anywhere inside it (face and surroundings).
    Returns floats.
    """
    if kind == "well":
        side = face * np.exp(rng.uniform(-0.1, 0.1))
        dy, dx = rng.uniform(-0.05, 0.05, size=2) * side
        return face / 2 + dy - side / 2, face / 2 + dx - side / 2, side
    if kind == "shifted":
        side = face * np.exp(rng.uniform(-0.15, 0.15))
        distance, angle = rng.uniform(0.25, 0.6) * side, rng.uniform(0, 2 * np.pi)
        return face / 2 + distance * np.sin(angle) - side / 2, face / 2 + distance * np.cos(angle) - side / 2, side
    if kind == "part":
        side = face * rng.uniform(0.3, 0.65)
        top, left = rng.uniform(0, face - side, size=2)
        return top, left, side
    if kind == "wide":
        side = face / rng.uniform(0.4, 0.7)
        top, left = rng.uniform(face - side, 0, size=2)
        return top, left, side
    raise ValueError(f"kind must be one of {FRAMINGS}; got {kind!r}.")


def framings(faces, photos, count, kind, seed=0, size=25, face=FRAMED_FACE, feather=0.0):
    """Windows around a face pasted into a face-free photo, framed well or wrongly (see `framing_window`).

    Each one takes a face, enlarges it to face × face and pastes it at a random place in a random square of a
    face-free photo (shrunk or enlarged to a canvas 4 × face wide), cuts a window framed as `kind` says, and
    shrinks the window to size × size, as a scan's pyramid does. A window that would leave the canvas is drawn
    again. feather > 0 blends the face into the photo over that fraction of its side at each border, so that the
    pasted square has no hard outline (a real face has none).
    faces : ndarray (k, size, size); photos : list of ndarrays (h, w), grey levels 0..255; count : int
    kind : {"well", "shifted", "part", "wide"}
    Returns ndarray of shape (count, size, size), float64.
    """
    rng = np.random.default_rng(seed)
    faces = np.asarray(faces, dtype=np.float64)
    canvas = 4 * face
    grid = (np.arange(face) + 0.5) * size / face - 0.5
    ramp = np.ones(face) if feather <= 0 else np.clip(
        np.minimum(np.arange(face) + 0.5, face - np.arange(face) - 0.5) / (feather * face), 0, 1)
    alpha = ramp[:, None] * ramp[None, :]
    out = np.empty((count, size, size))
    for k in range(count):
        photo = photos[rng.integers(len(photos))]
        h, w = photo.shape
        side = int(rng.integers(min(h, w) // 2, min(h, w) + 1))
        top, left = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
        background = shrink(photo[top:top + side, left:left + side], canvas)
        big = _bilinear(faces[rng.integers(len(faces))], grid[:, None] + 0 * grid[None, :],
                        0 * grid[:, None] + grid[None, :])
        while True:
            ft, fl = rng.integers(0, canvas - face + 1, size=2)
            wt, wl, ws = framing_window(kind, rng, face)
            wt, wl, ws = int(round(ft + wt)), int(round(fl + wl)), max(1, int(round(ws)))
            if 0 <= wt and 0 <= wl and wt + ws <= canvas and wl + ws <= canvas:
                break
        patch = background[ft:ft + face, fl:fl + face]
        background[ft:ft + face, fl:fl + face] = alpha * big + (1 - alpha) * patch
        out[k] = shrink(background[wt:wt + ws, wl:wl + ws], size)
    return out
