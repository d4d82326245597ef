// One neuron's maths in the page, for the pictures drawn ahead of the server (ui/losses_preview.js,
// ui/race_preview.js): the same formulas as core/maths/activations.py and core/maths/loss_functions.py, in float64,
// and the data they run on, decoded from the base64 the server sends (exact).
(() => {
  if (window.__neuron) return;

  function bytes(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  // the x (float64) and y (uint8) of a payload, decoded once per payload
  function data(R) {
    if (!R.__data) R.__data = { x: new Float64Array(bytes(R.x).buffer), y: bytes(R.y) };
    return R.__data;
  }

  // σ(z) without overflow, as core/maths/activations.py's sigmoid
  function sigmoid(z) {
    const e = Math.exp(-Math.abs(z));
    return z >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  const ACTIVATIONS = {
    sigmoid: { fn: sigmoid, der: (z) => { const a = sigmoid(z); return a * (1 - a); } },
    linear: { fn: (z) => z, der: () => 1 },
  };
  // One example's loss and dL/dz, as core/maths/loss_functions.py's Loss.value and Loss.dZ; null if not here.
  function lossOf(activation, loss) {
    const g = ACTIVATIONS[activation];
    if (!g) return null;
    if (loss === "log" && activation === "sigmoid") {
      return { value: (z, y) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z,
               dZ: (z, y) => sigmoid(z) - y };
    }
    if (loss === "squared") {
      return { value: (z, y) => { const r = g.fn(z) - y; return 0.5 * r * r; },
               dZ: (z, y) => (g.fn(z) - y) * g.der(z) };
    }
    if (loss === "absolute") {
      return { value: (z, y) => Math.abs(g.fn(z) - y), dZ: (z, y) => Math.sign(g.fn(z) - y) * g.der(z) };
    }
    return null;
  }

  window.__neuron = { bytes, data, sigmoid, lossOf };
})();
