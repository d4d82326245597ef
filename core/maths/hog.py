"""Edges instead of pixels: histograms of oriented gradients (HOG), in numpy.

The neuron does not change; only what it reads does. Instead of x = pixels / 255, x holds, for each small
cell of the window, how much edge there is in each of 9 directions:

1. gradient at every pixel: g_row = I[r+1, c] − I[r−1, c], g_col = I[r, c+1] − I[r, c−1]
   (0 on the window's border), magnitude |g| = √(g_row² + g_col²), angle θ = atan2(g_row, g_col) mod 180°;
2. per cell of 5 × 5 pixels, a histogram of θ in 9 bins of 20°, each pixel voting with |g|, divided by 25;
3. per block of 2 × 2 cells, the 36 numbers are normalised (L2, clipped at 0.2, normalised again: "L2-Hys"),
   so that a dim face and a bright one give the same features.

A 25 × 25 window has 5 × 5 cells and 4 × 4 blocks: n_x = 4 · 4 · 2 · 2 · 9 = 576 features. This is what
scikit-image's `skimage.feature.hog(image, orientations=9, pixels_per_cell=(5, 5), cells_per_block=(2, 2))`
computes (the tests compare the two); the app itself needs only numpy.
"""

import numpy as np

WINDOW = 25          # the window's side in pixels, as the bundled faces
CELL = 5             # pixels per cell side
BLOCK = 2            # cells per block side
ORIENTATIONS = 9     # bins of 20° over 0–180°
CELLS = WINDOW // CELL                 # 5 cells per side
BLOCKS = CELLS - BLOCK + 1             # 4 blocks per side
N_FEATURES = BLOCKS * BLOCKS * BLOCK * BLOCK * ORIENTATIONS   # 576
_EPS = 1e-5
_BIN_WIDTH = 180.0 / ORIENTATIONS      # 20°
# Which cell each pixel of a window falls in: (WINDOW, WINDOW) of ints 0..24.
_CELL_OF_PIXEL = (np.arange(WINDOW)[:, None] // CELL) * CELLS + np.arange(WINDOW)[None, :] // CELL


def gradients(image):
    """Central differences along rows and columns, 0 on the border (as scikit-image does).

    image : ndarray of shape (..., h, w), float
    Returns g_row, g_col : ndarrays of the same shape.
    """
    g_row = np.zeros_like(image)
    g_col = np.zeros_like(image)
    g_row[..., 1:-1, :] = image[..., 2:, :] - image[..., :-2, :]
    g_col[..., :, 1:-1] = image[..., :, 2:] - image[..., :, :-2]
    return g_row, g_col


def magnitude_and_bin(g_row, g_col):
    """|g| and the orientation bin 0..8 of every pixel (θ in [20k°, 20(k+1)°) goes to bin k)."""
    magnitude = np.hypot(g_col, g_row)
    theta = np.rad2deg(np.arctan2(g_row, g_col)) % 180.0
    bins = np.floor(theta / _BIN_WIDTH)
    bins -= theta < bins * _BIN_WIDTH                  # exact at the bin edges, as a comparison would be
    bins += theta >= (bins + 1) * _BIN_WIDTH
    return magnitude, np.clip(bins, 0, ORIENTATIONS - 1).astype(np.intp)


def cell_histograms(magnitude, bins):
    """Per window, per cell, per orientation: the mean of |g| over the cell's pixels voting for that bin.

    magnitude, bins : ndarrays of shape (m, WINDOW, WINDOW)
    Returns ndarray of shape (m, CELLS, CELLS, ORIENTATIONS).
    """
    m = magnitude.shape[0]
    index = (np.arange(m)[:, None, None] * CELLS * CELLS + _CELL_OF_PIXEL) * ORIENTATIONS + bins
    sums = np.bincount(index.ravel(), weights=magnitude.ravel(), minlength=m * CELLS * CELLS * ORIENTATIONS)
    return sums.reshape(m, CELLS, CELLS, ORIENTATIONS) / (CELL * CELL)


def normalise_blocks(hist):
    """L2-Hys normalisation of every 2 × 2 block of cells.

    hist : ndarray of shape (m, CELLS, CELLS, ORIENTATIONS)
    Returns ndarray of shape (m, N_FEATURES), in scikit-image's order (block row, block column, cell row,
    cell column, orientation).
    """
    m = hist.shape[0]
    blocks = np.stack([np.stack([hist[:, r:r + BLOCK, c:c + BLOCK] for c in range(BLOCKS)], axis=1)
                       for r in range(BLOCKS)], axis=1)            # (m, BLOCKS, BLOCKS, BLOCK, BLOCK, 9)
    blocks = blocks.reshape(m, BLOCKS, BLOCKS, -1)
    out = blocks / np.sqrt(np.sum(blocks ** 2, axis=-1, keepdims=True) + _EPS ** 2)
    out = np.minimum(out, 0.2)
    out = out / np.sqrt(np.sum(out ** 2, axis=-1, keepdims=True) + _EPS ** 2)
    return out.reshape(m, N_FEATURES)


def hog_features(images):
    """HOG of a stack of windows.

    images : ndarray of shape (m, WINDOW, WINDOW), grey levels (any scale; 0..1 as the neuron reads pixels)
    Returns X : ndarray of shape (N_FEATURES, m), one window per column, as the course stacks examples.
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 2:
        images = images[None]
    if images.shape[1:] != (WINDOW, WINDOW):
        raise ValueError(f"HOG windows must be {WINDOW} × {WINDOW} pixels; got {images.shape[1:]}.")
    magnitude, bins = magnitude_and_bin(*gradients(images))
    return normalise_blocks(cell_histograms(magnitude, bins)).T


def hog(image):
    """HOG of one 25 × 25 window: ndarray of shape (N_FEATURES,)."""
    return hog_features(np.asarray(image, dtype=np.float64)[None])[:, 0]


def window_magnitude_and_bin(magnitude, bins, g_row, g_col, rows, cols):
    """Cut windows out of a whole image's gradients, exactly as if each window's HOG had been computed alone.

    The gradient inside a window is the image's gradient, except on the window's border, where a lone window
    has no neighbour: there the top and bottom rows keep only g_col (angle 0°, bin 0), the left and right
    columns only g_row (angle 90°, bin 4), and the four corners nothing. Computing the angles once per image,
    not once per window, is what makes a scan of thousands of windows fast.

    magnitude, bins, g_row, g_col : ndarrays of shape (h, w), for the whole image
    rows, cols : int ndarrays of shape (m,), the windows' top-left corners
    Returns magnitude, bins : ndarrays of shape (m, WINDOW, WINDOW)
    """
    r = rows[:, None, None] + np.arange(WINDOW)[None, :, None]
    c = cols[:, None, None] + np.arange(WINDOW)[None, None, :]
    mag, b = magnitude[r, c], bins[r, c]                            # (m, WINDOW, WINDOW) each
    edge_bin_col = int(90 // _BIN_WIDTH)                           # 90° falls in bin 4
    for i in (0, WINDOW - 1):                                      # top and bottom rows: only g_col is left
        mag[:, i, :] = np.abs(g_col[r[:, i, :], c[:, 0, :]])
        b[:, i, :] = 0
    for j in (0, WINDOW - 1):                                      # left and right columns: only g_row
        mag[:, :, j] = np.abs(g_row[r[:, :, 0], c[:, :, j]])
        b[:, :, j] = edge_bin_col
    for i in (0, WINDOW - 1):
        for j in (0, WINDOW - 1):
            mag[:, i, j] = 0.0
    return mag, b


def cell_weights(w):
    """A HOG weight vector folded back onto the window's cells, for drawing.

    Each cell appears in up to 4 blocks; its weight per orientation is the sum over those blocks.
    w : ndarray of shape (N_FEATURES, 1) or (N_FEATURES,)
    Returns ndarray of shape (CELLS, CELLS, ORIENTATIONS).
    """
    blocks = np.asarray(w, dtype=np.float64).reshape(BLOCKS, BLOCKS, BLOCK, BLOCK, ORIENTATIONS)
    out = np.zeros((CELLS, CELLS, ORIENTATIONS))
    for r in range(BLOCKS):
        for c in range(BLOCKS):
            out[r:r + BLOCK, c:c + BLOCK] += blocks[r, c]
    return out
