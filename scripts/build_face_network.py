"""Write data/face_network.npz: Google's BlazeFace "full range" face detector, as layers and weights numpy reads.

Source: `mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite` in the `mediapipe` 0.10.14 wheel
for CPython 3.11 on Linux x86-64 (PyPI; Apache License 2.0; data/DATA.md). Newer wheels no longer ship the model.

    pip download mediapipe==0.10.14 --no-deps --python-version 3.11 --platform manylinux2014_x86_64 -d DIR
    python scripts/build_face_network.py DIR/mediapipe-0.10.14-*.whl     [OUT.npz]

Needs the development packages `tflite` (reads the model's layers and options) and `ai-edge-litert` (TensorFlow
Lite's interpreter: it unpacks the stored weights, which are float16 and partly sparse, into dense arrays); the app
needs neither. Every weight is kept as the float16 the model ships (checked exactly), the layers as JSON under
"graph" (core.maths.convnet reads both). The bytes are the same on every run (fixed zip timestamps).
"""

import json
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_data import DATA_DIR, save_npz  # noqa: E402

MEMBER = "mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite"
PADDING = {0: "SAME", 1: "VALID"}
ACTIVATION = {0: None, 1: "relu", 3: "relu6"}


def layers_and_weights(model_path):
    """(graph, weights): the model's layers in order (with their options) and its constant arrays by name."""
    import tflite
    from ai_edge_litert import interpreter as litert

    model = tflite.Model.GetRootAsModel(Path(model_path).read_bytes(), 0)
    graph = model.Subgraphs(0)
    names = {v: k for k, v in vars(tflite.BuiltinOperator).items() if not k.startswith("_")}
    # run it once with every intermediate array kept: the unpacked (dense, float32) weights are read from there
    interpreter = litert.Interpreter(str(model_path), experimental_preserve_all_tensors=True,
                                     experimental_op_resolver_type=litert.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    first = interpreter.get_input_details()[0]
    interpreter.set_tensor(first["index"], np.zeros(first["shape"], np.float32))
    interpreter.invoke()

    constant = {i for i in range(graph.TensorsLength()) if model.Buffers(graph.Tensors(i).Buffer()).DataLength()}
    layers, weights = [], {}
    for k in range(graph.OperatorsLength()):
        op = graph.Operators(k)
        code = model.OperatorCodes(op.OpcodeIndex())
        kind = names[max(code.BuiltinCode(), code.DeprecatedBuiltinCode())]
        inputs = [op.Inputs(j) for j in range(op.InputsLength())]
        outputs = [op.Outputs(j) for j in range(op.OutputsLength())]
        if kind in ("DEQUANTIZE", "DENSIFY") and all(i in constant for i in inputs):
            constant.update(outputs)  # unpacking a stored weight: its result is a weight too
            continue
        layer = {"op": kind, "inputs": [f"t{i}" for i in inputs], "outputs": [f"t{i}" for i in outputs]}
        options = op.BuiltinOptions()
        if kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            o = (tflite.Conv2DOptions if kind == "CONV_2D" else tflite.DepthwiseConv2DOptions)()
            o.Init(options.Bytes, options.Pos)
            layer.update(padding=PADDING[o.Padding()], stride=[o.StrideH(), o.StrideW()],
                         act=ACTIVATION[o.FusedActivationFunction()])
            if (o.DilationHFactor(), o.DilationWFactor()) != (1, 1):
                raise SystemExit(f"layer {k}: dilated convolutions are not supported")
            if kind == "DEPTHWISE_CONV_2D":
                layer["multiplier"] = o.DepthMultiplier()
        elif kind == "ADD":
            o = tflite.AddOptions()
            o.Init(options.Bytes, options.Pos)
            layer["act"] = ACTIVATION[o.FusedActivationFunction()]
        elif kind == "MAX_POOL_2D":
            o = tflite.Pool2DOptions()
            o.Init(options.Bytes, options.Pos)
            layer.update(padding=PADDING[o.Padding()], stride=[o.StrideH(), o.StrideW()],
                         filter=[o.FilterHeight(), o.FilterWidth()], act=ACTIVATION[o.FusedActivationFunction()])
        elif kind == "CONCATENATION":
            o = tflite.ConcatenationOptions()
            o.Init(options.Bytes, options.Pos)
            layer.update(axis=o.Axis(), act=ACTIVATION[o.FusedActivationFunction()])
        elif kind == "RESIZE_BILINEAR":
            o = tflite.ResizeBilinearOptions()
            o.Init(options.Bytes, options.Pos)
            layer.update(align_corners=bool(o.AlignCorners()), half_pixel_centers=bool(o.HalfPixelCenters()))
        elif kind == "DEPTH_TO_SPACE":
            o = tflite.DepthToSpaceOptions()
            o.Init(options.Bytes, options.Pos)
            layer["block"] = o.BlockSize()
        elif kind == "RESHAPE":
            layer["shape"] = [int(v) for v in graph.Tensors(outputs[0]).ShapeAsNumpy()]
        elif kind not in ("PAD", "RELU"):
            raise SystemExit(f"layer {k}: {kind} is not supported by core.maths.convnet")
        for i in inputs:
            if i in constant and f"t{i}" not in weights:
                value = interpreter.get_tensor(i)
                if value.dtype == np.float32:
                    half = value.astype(np.float16)
                    if not np.array_equal(half.astype(np.float32), value):
                        raise SystemExit(f"weight t{i} is not float16 as shipped")
                    value = half
                weights[f"t{i}"] = value
        layers.append(layer)
    description = {"input": f"t{graph.Inputs(0)}",
                   "outputs": [f"t{graph.Outputs(j)}" for j in range(graph.OutputsLength())],
                   "input_shape": [int(v) for v in graph.Tensors(graph.Inputs(0)).ShapeAsNumpy()],
                   "ops": layers}
    return description, weights


def build(wheel, out=DATA_DIR / "face_network.npz"):
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(wheel) as archive:
        model = Path(folder) / "model.tflite"
        model.write_bytes(archive.read(MEMBER))
        description, weights = layers_and_weights(model)
    save_npz(out, graph=np.array(json.dumps(description, sort_keys=True)), **weights)
    print(f"{out}: {len(description['ops'])} layers, {len(weights)} weights, {Path(out).stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    build(sys.argv[1], *(sys.argv[2:3]))
