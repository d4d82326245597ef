// The Losses page's sliders, drawn while they move (emitted by ui/losses.py with the page's data). Streamlit reruns
// the page only when a slider is let go (or a key pressed), and then the answer takes a round trip: here the two
// gradient-descent runs of the sliders' values are computed in the page, as core/maths/logistic.py's
// gradient_descent computes them (the same update, stops and costs, in float64), and drawn into the contour maps
// and the cost curves (and the 3D surfaces, when their tab is open) as the thumb moves (window.__chartBridge.preview). The rerun's charts then replace them: a
// payload made for other settings than the sliders show is held back (window.__chartBridge.holds), so a late
// answer for a rate the thumb has left does not pull the picture back.
// Contract: window.__lossesRun = {x: float64 base64, y: uint8 base64, costs: [[activation, loss, J_min], ...] (the
// map's runs in order: the rival, log-loss), tol, explode: [cost, parameter], charts: {map, curves, surfaces} (the
// keys of the charts it draws into, when they are on the page)};
// the sliders are the inputs of the elements keyed w0, b0, alpha and steps; the charts' traces name what they show
// in meta {role, run} (core/figures/losses.py); their payloads' tag is the settings they were made for.
(() => {
  const P = (window.__lossesPreview = window.__lossesPreview || {});
  const SLIDERS = ["w0", "b0", "alpha", "steps"];
  const HOLD_MS = 10000;            // a picture ahead of the server is held at most this long after it was drawn

  function bytes(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
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

  // Batch gradient descent on one feature from (w0, b0), w := w − α·dw, b := b − α·db, as gradient_descent: it
  // stops when ‖(dw, db)‖ < tol (converged), after `steps` updates, or at the last finite point when the cost or
  // the parameters blow up (diverged). {w, b, cost} at every kept step; null if the start's cost is too large.
  function descend(x, y, neuron, w0, b0, alpha, steps, tol, explode) {
    const m = x.length, ws = [], bs = [], costs = [];
    let w = w0, b = b0;
    for (let k = 0; ; k++) {
      let sw = 0, sb = 0, sc = 0;
      for (let i = 0; i < m; i++) {
        const z = w * x[i] + b, d = neuron.dZ(z, y[i]);
        sw += x[i] * d;
        sb += d;
        sc += neuron.value(z, y[i]);
      }
      const dw = sw / m, db = sb / m, cost = sc / m;
      if (!(Number.isFinite(cost) && Number.isFinite(dw) && Number.isFinite(db)) || cost > explode[0]) {
        if (k === 0) return null;
        break;
      }
      ws.push(w); bs.push(b); costs.push(cost);
      if (Math.sqrt(dw * dw + db * db) < tol || k === steps) break;
      w -= alpha * dw;
      b -= alpha * db;
      if (!(Number.isFinite(w) && Number.isFinite(b)) || Math.max(Math.abs(w), Math.abs(b)) > explode[1]) break;
    }
    return { w: ws, b: bs, cost: costs };
  }

  // The data of window.__lossesRun, decoded once per payload
  function dataOf(R) {
    if (R.__data) return R.__data;
    const xb = bytes(R.x);
    R.__data = { x: new Float64Array(xb.buffer), y: bytes(R.y),
                 neurons: R.costs.map(([activation, loss]) => lossOf(activation, loss)) };
    return R.__data;
  }

  // Both runs for settings {w0, b0, alpha, steps} (null where they cannot be computed here)
  function runs(settings) {
    const R = window.__lossesRun;
    if (!R) return null;
    const d = dataOf(R);
    if (d.neurons.some((n) => !n)) return null;
    const out = d.neurons.map((n) => descend(d.x, d.y, n, settings.w0, settings.b0, settings.alpha,
                                             Math.round(settings.steps), R.tol, R.explode));
    return out.some((r) => !r) ? null : out;
  }
  P.runs = runs;                    // (read by the browser tests, against core's runs)

  function thumbs() {
    const out = {};
    for (const k of SLIDERS) {
      const input = document.querySelector(`.st-key-${k} input[type=range]`);
      if (!input || input.value === "" || !Number.isFinite(Number(input.value))) return null;
      out[k] = Number(input.value);
    }
    return out;
  }
  const same = (a, b) => !!a && !!b && SLIDERS.every((k) => Math.abs(a[k] - b[k]) <= 1e-9 * Math.max(1, Math.abs(b[k])));
  const onSlider = () => {
    const a = document.activeElement;
    return !!a && SLIDERS.some((k) => a.closest(`.st-key-${k}`));
  };

  // The traces of a chart by their meta role: [[index, role, run], ...]
  function roles(key) {
    const box = document.querySelector(`.st-key-${CSS.escape(key)}`);
    const gd = box && box.querySelector(".js-plotly-plot");
    if (!gd || !gd.data) return [];
    return gd.data.map((t, i) => [i, t.meta && t.meta.role, t.meta && t.meta.run])
      .filter(([, role, run]) => role && Number.isInteger(run));
  }

  function draw() {
    const R = window.__lossesRun, B = window.__chartBridge, t = thumbs();
    if (!R || !B || !B.preview || !t) return;
    const got = runs(t);
    if (!got) return;
    P.ahead = { settings: t, at: performance.now() };
    // as the figures send them: paths and costs in float32, the start, the ball and the gaps in float64
    const steps = (r) => r.cost.map((_, k) => k), f32 = (a) => a.map(Math.fround);
    const values = {
      path: (r) => ({ x: f32(r.w), y: f32(r.b) }),
      start: () => ({ x: [t.w0], y: [t.b0] }),
      ball: (r) => ({ x: [r.w[r.w.length - 1]], y: [r.b[r.b.length - 1]] }),
      cost: (r) => ({ x: steps(r), y: f32(r.cost) }),
      gap: (r, j) => ({ x: steps(r), y: r.cost.map((c) => Math.max(c - R.costs[j][2], 0, 1e-16)) }),
      path3d: (r) => ({ x: f32(r.w), y: f32(r.b), z: f32(r.cost) }),
      ball3d: (r) => ({ x: f32(r.w.slice(-1)), y: f32(r.b.slice(-1)), z: f32(r.cost.slice(-1)) }),
    };
    for (const key of Object.values(R.charts)) {
      const mine = roles(key).filter(([, role, run]) => role in values && got[run]);
      if (mine.length) B.preview(key, mine.map(([i]) => i), mine.map(([, role, run]) => values[role](got[run], run)));
    }
  }

  // A payload is held back while a picture ahead of it shows other settings than it was made for.
  function holds(p) {
    const a = P.ahead;
    if (!a || performance.now() - a.at > HOLD_MS) return false;
    return !same(thumbs(), p.tag);
  }

  const R0 = window.__lossesRun, CB = (window.__chartBridge = window.__chartBridge || {});
  CB.holds = CB.holds || {};
  if (R0) Object.values(R0.charts).forEach((key) => { CB.holds[key] = holds; });
  if (!P.observer) {
    let queued = false;
    // a thumb the student moves (it has the focus, by key or pointer): drawn once per frame at most
    P.observer = new MutationObserver((records) => {
      if (queued || !onSlider()) return;
      if (!records.some((r) => r.target.matches && r.target.matches("input[type=range]")
                               && SLIDERS.some((k) => r.target.closest(`.st-key-${k}`)))) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; draw(); });
    });
    P.observer.observe(document.body, { attributes: true, attributeFilter: ["value"], subtree: true });
  }
})();
