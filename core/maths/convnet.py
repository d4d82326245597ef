"""A small convolutional network run in numpy: the layers of a trained face detector, one function each.

A network is a list of layers read from a file (`load`): each takes the arrays named by its inputs and writes the
one named by its output, in order, so running it is one loop (`run`). Arrays are (1, height, width, channels), as
the trained file stores them. The layers are those Google's BlazeFace detectors use (core.lessons.face_network):

- `conv2d`: each output pixel is a weighted sum of a k × k patch of every input channel, plus a bias; many
  neurons sharing their weights across the picture. Done as one matrix product: the patches as rows.
- `depthwise_conv2d`: the same, but each channel with its own k × k filter (no mixing of channels).
- `add` (a shortcut: a block's input added to its output), `pad`, `max_pool`, `resize_bilinear`,
  `depth_to_space`, `reshape`, `concatenation`, and ReLU after a layer when the file says so.

tests/unit/test_convnet.py checks each against a direct loop, and the whole network against TensorFlow Lite's own
interpreter on the same inputs.
"""

from __future__ import annotations

import json

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _activate(x, act):
    if act == "relu":
        return np.maximum(x, 0, out=x)
    if act == "relu6":
        return np.clip(x, 0, 6, out=x)
    return x


def _same_padding(size, kernel, stride, dilation=1):
    """(before, after) padding TensorFlow's "SAME" adds on one axis: the output has ceil(size / stride) pixels."""
    reach = (kernel - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + reach - size, 0)
    return total // 2, total - total // 2


def _padded(x, kernel, stride, padding):
    """x (1, h, w, c) padded with zeros for a kernel (kh, kw) and stride (sh, sw), "SAME" or "VALID"."""
    if padding == "VALID":
        return x
    (top, bottom), (left, right) = (_same_padding(x.shape[axis + 1], kernel[axis], stride[axis]) for axis in (0, 1))
    if top == bottom == left == right == 0:
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))


def conv2d(x, weights, bias, stride=(1, 1), padding="SAME", act=None):
    """x (1, h, w, c_in), weights (c_out, kh, kw, c_in), bias (c_out,) -> (1, h', w', c_out)."""
    c_out, kh, kw, c_in = weights.shape
    sh, sw = stride
    x = _padded(x, (kh, kw), stride, padding)
    if kh == kw == 1:
        patches = x[0, ::sh, ::sw, :]
    else:  # every k × k × c_in patch as one row: (h', w', kh, kw, c_in)
        windows = sliding_window_view(x[0], (kh, kw), axis=(0, 1))[::sh, ::sw]  # (h', w', c_in, kh, kw)
        patches = windows.transpose(0, 1, 3, 4, 2)
    h, w = patches.shape[:2]
    rows = np.ascontiguousarray(patches).reshape(h * w, kh * kw * c_in)
    out = rows @ weights.reshape(c_out, -1).T
    out += bias
    return _activate(out.reshape(1, h, w, c_out), act)


def depthwise_conv2d(x, weights, bias, stride=(1, 1), padding="SAME", act=None, multiplier=1):
    """x (1, h, w, c), weights (1, kh, kw, c · multiplier), bias (c · multiplier,) -> (1, h', w', c · multiplier):
    each channel filtered by its own k × k kernel."""
    _, kh, kw, c_out = weights.shape
    if multiplier != 1:
        x = np.repeat(x, multiplier, axis=3)
    sh, sw = stride
    x = _padded(x, (kh, kw), stride, padding)
    h = (x.shape[1] - kh) // sh + 1
    w = (x.shape[2] - kw) // sw + 1
    out = np.empty((x.shape[0], h, w, c_out), dtype=np.float32)
    out[:] = bias
    term = np.empty_like(out)
    for i in range(kh):  # a sum of k × k shifted copies, each times its weights (one per channel)
        for j in range(kw):
            np.multiply(x[:, i:i + sh * (h - 1) + 1:sh, j:j + sw * (w - 1) + 1:sw, :], weights[0, i, j], out=term)
            out += term
    return _activate(out, act)


def pad(x, pads):
    """x padded with zeros: pads[axis] = (before, after) for each of its axes."""
    pads = [(int(before), int(after)) for before, after in pads]
    out = np.zeros([n + before + after for n, (before, after) in zip(x.shape, pads, strict=True)], dtype=x.dtype)
    out[tuple(slice(before, before + n) for n, (before, _) in zip(x.shape, pads, strict=True))] = x
    return out


def max_pool(x, filter=(2, 2), stride=(2, 2), padding="VALID", act=None):
    kh, kw = filter
    sh, sw = stride
    if padding == "SAME":
        (top, bottom), (left, right) = (_same_padding(x.shape[a + 1], filter[a], stride[a]) for a in (0, 1))
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=-np.inf)
    windows = sliding_window_view(x[0], (kh, kw), axis=(0, 1))[::sh, ::sw]
    return _activate(windows.max(axis=(3, 4))[None].astype(np.float32), act)


def resize_bilinear(x, size, align_corners=False, half_pixel_centers=False):
    """x (1, h, w, c) -> (1, size[0], size[1], c), with TensorFlow's sampling positions."""
    _, h, w, _ = x.shape

    def axis(n_in, n_out):
        if align_corners and n_out > 1:
            pos = np.arange(n_out) * ((n_in - 1) / (n_out - 1))
        elif half_pixel_centers:
            pos = np.maximum((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0)
        else:
            pos = np.arange(n_out) * (n_in / n_out)
        low = np.minimum(np.floor(pos).astype(int), n_in - 1)
        high = np.minimum(low + 1, n_in - 1)
        return low, high, (pos - low).astype(np.float32)

    (y0, y1, fy), (x0, x1, fx) = axis(h, size[0]), axis(w, size[1])
    rows = x[:, y0] * (1 - fy)[None, :, None, None] + x[:, y1] * fy[None, :, None, None]
    return rows[:, :, x0] * (1 - fx)[None, None, :, None] + rows[:, :, x1] * fx[None, None, :, None]


def depth_to_space(x, block):
    """(1, h, w, b·b·c) -> (1, h·b, w·b, c): channel (i·b + j)·c + k moves to pixel (h·b + i, w·b + j)."""
    _, h, w, c = x.shape
    c_out = c // (block * block)
    return x.reshape(1, h, w, block, block, c_out).transpose(0, 1, 3, 2, 4, 5).reshape(1, h * block, w * block,
                                                                                       c_out)


class Network:
    """A trained network: its layers (a list of dicts) and its weights by name."""

    def __init__(self, graph, weights):
        self.graph, self.weights = graph, weights
        self.input_shape = tuple(graph["input_shape"])
        # For each layer, the activations no later layer (nor the outputs) reads: `run` lets them go after it, so a
        # read holds a few layers' activations at a time (4.6 MB at its peak), not all of them (36 MB), and four
        # students' photos read at once add up to little.
        last = {}
        for i, layer in enumerate(graph["ops"]):
            for name in layer["inputs"]:
                if name not in weights:
                    last[name] = i
        self._done_after = [[] for _ in graph["ops"]]
        for name, i in last.items():
            if name not in graph["outputs"]:
                self._done_after[i].append(name)

    def run(self, x):
        """The network's outputs for one input x (float32) of shape input_shape, or of any larger height and width
        that are multiples of the trained ones' largest power of two (a fully convolutional network reads a bigger
        picture as it reads a small one, everywhere at once), as a list of arrays."""
        x = np.asarray(x, dtype=np.float32)
        if x.ndim == 3:
            x = x[None]
        _, trained_h, trained_w, channels = self.input_shape
        if x.shape[0] != 1 or x.shape[3] != channels:
            raise ValueError(f"one picture of {channels} channels, not {x.shape}")
        values = dict(self.weights)
        values[self.graph["input"]] = x
        ratio = (x.shape[1] / trained_h, x.shape[2] / trained_w)  # resizes to fixed sizes scale with the input
        for layer, done in zip(self.graph["ops"], self._done_after, strict=True):
            args = [values[name] for name in layer["inputs"]]
            if layer["op"] == "RESIZE_BILINEAR":
                args[1] = [round(int(size) * r) for size, r in zip(args[1], ratio, strict=True)]
            values[layer["outputs"][0]] = _LAYERS[layer["op"]](layer, *args)
            del args
            for name in done:
                del values[name]
        return [values[name] for name in self.graph["outputs"]]


_LAYERS = {
    "CONV_2D": lambda op, x, w, b: conv2d(x, w, b, op["stride"], op["padding"], op["act"]),
    "DEPTHWISE_CONV_2D": lambda op, x, w, b: depthwise_conv2d(x, w, b, op["stride"], op["padding"], op["act"],
                                                              op["multiplier"]),
    "ADD": lambda op, a, b: _activate(a + b, op["act"]),
    "RELU": lambda op, x: np.maximum(x, 0),
    "PAD": lambda op, x, pads: pad(x, pads),
    "MAX_POOL_2D": lambda op, x: max_pool(x, op["filter"], op["stride"], op["padding"], op["act"]),
    "RESIZE_BILINEAR": lambda op, x, size: resize_bilinear(x, [int(v) for v in size], op["align_corners"],
                                                           op["half_pixel_centers"]),
    "DEPTH_TO_SPACE": lambda op, x: depth_to_space(x, op["block"]),
    "RESHAPE": lambda op, x, *shape: x.reshape([int(v) for v in shape[0]] if shape else op["shape"]),
    "CONCATENATION": lambda op, *xs: _activate(np.concatenate(xs, axis=op["axis"]), op["act"]),
}


def load(path):
    """A Network from a file written by scripts/build_face_network.py: the layers as JSON under "graph", each
    weight as float16 (as trained and shipped) under its name, turned into float32 here."""
    with np.load(path) as stored:
        graph = json.loads(str(stored["graph"].reshape(-1)[0]))  # one string (0-d, or 1-d as save_npz writes it)
        weights = {name: stored[name].astype(np.float32) if stored[name].dtype == np.float16 else stored[name]
                   for name in stored.files if name != "graph"}
    unknown = {layer["op"] for layer in graph["ops"]} - set(_LAYERS)
    if unknown:
        raise ValueError(f"layers this module cannot run: {sorted(unknown)}")
    return Network(graph, weights)
