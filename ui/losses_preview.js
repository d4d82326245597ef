// The Losses page's sliders, drawn while they move (emitted by ui/losses.py with the page's data, after
// ui/neuron.js and ui/slider_preview.js): the two gradient-descent runs of the sliders' values are computed in the
// page, as core/maths/logistic.py's gradient_descent computes them (the same update, stops and costs, in float64),
// and drawn into the contour maps and the cost curves (and the 3D surfaces, when their tab is open) as the thumb
// moves. The rerun's charts then replace them (ui/slider_preview.js holds back a late one).
// Contract: window.__lossesRun = {x: float64 base64, y: uint8 base64, costs: [[activation, loss, J_min], ...] (the
// map's runs in order: the rival, log-loss), tol, explode: [cost, parameter], charts: {map, curves, surfaces} (the
// keys of the charts it draws into, when they are on the page)};
// the sliders are the inputs of the elements keyed w0, b0, alpha and steps; the charts' traces name what they show
// in meta {role, run} (core/figures/losses.py: a "cost" trace shows J as a % of its step 0, J itself in customdata);
// their payloads' tag is the settings they were made for.
(() => {
  const P = (window.__lossesPreview = window.__lossesPreview || {});
  const N = window.__neuron;                        // ui/neuron.js
  const SLIDERS = ["w0", "b0", "alpha", "steps"];

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

  // Both runs for settings {w0, b0, alpha, steps} (null where they cannot be computed here)
  function runs(settings) {
    const R = window.__lossesRun;
    if (!R || !N) return null;
    const d = N.data(R), neurons = R.costs.map(([activation, loss]) => N.lossOf(activation, loss));
    if (neurons.some((n) => !n)) return null;
    const out = neurons.map((n) => descend(d.x, d.y, n, settings.w0, settings.b0, settings.alpha,
                                           Math.round(settings.steps), R.tol, R.explode));
    return out.some((r) => !r) ? null : out;
  }
  P.runs = runs;                    // (read by the browser tests, against core's runs)

  // The traces of a chart by their meta role: [[index, role, run], ...]
  function roles(key) {
    const box = document.querySelector(`.st-key-${CSS.escape(key)}`);
    const gd = box && box.querySelector(".js-plotly-plot");
    if (!gd || !gd.data) return [];
    return gd.data.map((t, i) => [i, t.meta && t.meta.role, t.meta && t.meta.run])
      .filter(([, role, run]) => role && Number.isInteger(run));
  }

  // The pictures of the sliders' settings t: both runs drawn into each chart's paths, balls and curves
  function pictures(t) {
    const R = window.__lossesRun, got = runs(t);
    if (!got) return null;
    // as the figures send them: paths and costs in float32, the start, the ball and the gaps in float64
    const steps = (r) => r.cost.map((_, k) => k), f32 = (a) => a.map(Math.fround);
    const share = (c) => {
      const s = Number.isFinite(c[0]) && c[0] > 0 ? c[0] : 100;
      return c.map((v) => (100 * v) / s);
    };
    const values = {
      path: (r) => ({ x: f32(r.w), y: f32(r.b) }),
      start: () => ({ x: [t.w0], y: [t.b0] }),
      ball: (r) => ({ x: [r.w[r.w.length - 1]], y: [r.b[r.b.length - 1]] }),
      // each cost as a share of its own start, J itself for the hover (core/figures/losses.py share_of_start)
      cost: (r) => ({ x: steps(r), y: f32(share(r.cost)), customdata: f32(r.cost) }),
      gap: (r, j) => ({ x: steps(r), y: r.cost.map((c) => Math.max(c - R.costs[j][2], 0, 1e-16)) }),
      path3d: (r) => ({ x: f32(r.w), y: f32(r.b), z: f32(r.cost) }),
      ball3d: (r) => ({ x: f32(r.w.slice(-1)), y: f32(r.b.slice(-1)), z: f32(r.cost.slice(-1)) }),
    };
    const out = [];
    for (const key of Object.values(R.charts)) {
      const mine = roles(key).filter(([, role, run]) => role in values && got[run]);
      if (mine.length) {
        out.push({ key, idx: mine.map(([i]) => i), data: mine.map(([, role, run]) => values[role](got[run], run)) });
      }
    }
    return out;
  }

  const R0 = window.__lossesRun;
  if (R0 && window.__sliderPreview) {
    window.__sliderPreview.register("losses", { sliders: SLIDERS, charts: Object.values(R0.charts), draw: pictures });
  }
})();
