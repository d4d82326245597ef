"""Tests for core/maths/convnet.py: each layer against a direct loop, and the bundled face network against TensorFlow
Lite's own interpreter (ai-edge-litert, a development dependency) running the model as MediaPipe ships it
(tests/fixtures/face_detection_full_range_sparse.tflite, Apache 2.0, data/DATA.md)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert import interpreter as litert
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage import data as photos

from core.maths import convnet

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "tests" / "fixtures" / "face_detection_full_range_sparse.tflite"
NETWORK = ROOT / "data" / "face_network.npz"


def padded_like_tensorflow(x, k, stride, padding):
    """x (h, w, c) padded as TensorFlow's SAME/VALID does, worked out from its definition: out = ceil(in / stride),
    the extra row or column at the bottom/right."""
    if padding == "VALID":
        return x
    pads = []
    for n in x.shape[:2]:
        out = -(-n // stride)
        total = max((out - 1) * stride + k - n, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, pads + [(0, 0)])


@settings(max_examples=30, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), c_in=st.integers(1, 4), c_out=st.integers(1, 4),
       k=st.sampled_from([1, 3, 5]), stride=st.sampled_from([1, 2]), padding=st.sampled_from(["SAME", "VALID"]),
       seed=st.integers(0, 999))
def test_conv2d_is_a_sum_over_each_patch(h, w, c_in, c_out, k, stride, padding, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(h, w, c_in)).astype(np.float32)
    weights = rng.normal(size=(c_out, k, k, c_in)).astype(np.float32)
    bias = rng.normal(size=c_out).astype(np.float32)
    if padding == "VALID" and (h < k or w < k):
        return
    p = padded_like_tensorflow(x, k, stride, padding)
    rows, cols = (p.shape[0] - k) // stride + 1, (p.shape[1] - k) // stride + 1
    expected = np.zeros((rows, cols, c_out))
    for i in range(rows):
        for j in range(cols):
            patch = p[i * stride:i * stride + k, j * stride:j * stride + k]
            for o in range(c_out):
                expected[i, j, o] = np.sum(patch * weights[o]) + bias[o]
    got = convnet.conv2d(x[None], weights, bias, (stride, stride), padding)
    np.testing.assert_allclose(got[0], expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), c=st.integers(1, 4), k=st.sampled_from([3, 5]),
       stride=st.sampled_from([1, 2]), seed=st.integers(0, 999))
def test_depthwise_conv2d_filters_each_channel_alone(h, w, c, k, stride, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(h, w, c)).astype(np.float32)
    weights = rng.normal(size=(1, k, k, c)).astype(np.float32)
    bias = rng.normal(size=c).astype(np.float32)
    p = padded_like_tensorflow(x, k, stride, "SAME")
    rows, cols = (p.shape[0] - k) // stride + 1, (p.shape[1] - k) // stride + 1
    expected = np.zeros((rows, cols, c))
    for i in range(rows):
        for j in range(cols):
            for ch in range(c):
                expected[i, j, ch] = np.sum(p[i * stride:i * stride + k, j * stride:j * stride + k, ch]
                                            * weights[0, :, :, ch]) + bias[ch]
    got = convnet.depthwise_conv2d(x[None], weights, bias, (stride, stride), "SAME", act="relu")
    np.testing.assert_allclose(got[0], np.maximum(expected, 0), rtol=1e-4, atol=1e-4)


def test_depth_to_space_moves_channels_to_pixels():
    x = np.arange(2 * 3 * 8, dtype=np.float32).reshape(1, 2, 3, 8)  # block 2: 4 × 2 channels per pixel
    out = convnet.depth_to_space(x, 2)
    assert out.shape == (1, 4, 6, 2)
    for h in range(2):
        for w in range(3):
            for i in range(2):
                for j in range(2):
                    first = (2 * i + j) * 2  # channels (i·b + j)·c .. + c
                    np.testing.assert_array_equal(out[0, 2 * h + i, 2 * w + j], x[0, h, w, first:first + 2])


def test_resize_bilinear_with_half_pixel_centres_doubles_a_ramp_exactly():
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 4, 1)
    out = convnet.resize_bilinear(x, (1, 8), half_pixel_centers=True)
    # output pixel j samples input position (j + 0.5) / 2 − 0.5, clamped to the edges
    np.testing.assert_allclose(out[0, 0, :, 0], [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3])


def test_a_file_naming_a_layer_it_cannot_run_is_refused(tmp_path):
    import json
    path = tmp_path / "net.npz"
    np.savez(path, graph=np.array(json.dumps({"input": "a", "outputs": ["b"], "input_shape": [1, 4, 4, 3],
                                              "ops": [{"op": "SOFTMAX", "inputs": ["a"], "outputs": ["b"]}]})))
    with pytest.raises(ValueError, match="SOFTMAX"):
        convnet.load(path)


# ------------------------------------------------------------------ the bundled face network, against TFLite ----

def tflite_outputs(x):
    interpreter = litert.Interpreter(str(MODEL))
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    by_shape = {tuple(d["shape"]): interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()}
    return by_shape[(1, 2304, 16)], by_shape[(1, 2304, 1)]


def as_input(picture):
    return (np.asarray(Image.fromarray(picture).convert("RGB").resize((192, 192)), dtype=np.float32)
            / 127.5 - 1)[None]


@pytest.mark.parametrize("x", [
    np.random.default_rng(0).uniform(-1, 1, (1, 192, 192, 3)).astype(np.float32),
    as_input(photos.astronaut()),
    as_input(photos.camera()),
    as_input(photos.coffee()),
], ids=["noise", "astronaut", "camera", "coffee"])
def test_the_bundled_network_gives_tensorflow_lites_answers(x):
    boxes, scores = convnet.load(NETWORK).run(x)
    want_boxes, want_scores = tflite_outputs(x)
    np.testing.assert_allclose(boxes, want_boxes, atol=2e-3, rtol=1e-4)  # float32 sums in another order
    np.testing.assert_allclose(scores, want_scores, atol=2e-3, rtol=1e-4)


def test_the_bundled_file_is_the_model_as_shipped():
    """scripts/build_face_network.py on the model gives the same layers and the same weights, bit for bit."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_face_network import layers_and_weights

    graph, weights = layers_and_weights(MODEL)
    bundled = convnet.load(NETWORK)
    assert bundled.graph == graph
    assert set(bundled.weights) == set(weights)
    for name, value in weights.items():
        np.testing.assert_array_equal(bundled.weights[name], np.asarray(value, dtype=bundled.weights[name].dtype))


def test_a_read_holds_only_the_activations_later_layers_still_need():
    """Each activation is let go after the last layer that reads it: one read of the face network allocates at most
    a few layers' worth at a time (numpy's allocations, traced), not all of its layers' (36 MB), so several students'
    photos read at once stay small. The outputs are the same either way (the TensorFlow Lite test above)."""
    import tracemalloc

    network = convnet.load(NETWORK)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 192, 192, 3)).astype(np.float32)
    network.run(x)
    tracemalloc.start()
    try:
        network.run(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"one read held {peak / 2**20:.1f} MB at its peak"
