// The optimiser race's sliders, drawn while they move (emitted by ui/optimisers.py with the race's data, after
// ui/neuron.js and ui/slider_preview.js): every optimiser's run for the sliders' values is computed in the page, the
// way core/maths/optimisers.py's optimise computes it (the same four updates, learning-rate decay, mini-batches in
// numpy's order for the seed, the same stops, in float64), and drawn into the race chart's trails, balls, cost
// curves, legend names and cost axes as the thumb moves. It matches core to rounding only (sums in another order):
// a chaotic run, such as momentum far past its limit on the logistic basin, can magnify a difference of 1e-13 into
// a path several units away by step 300, so there the server's chart may differ from the preview. The map of J
// keeps its frame until the rerun; the rerun's chart (the map's new frame, Play's frames) then replaces the picture.
// Contract: window.__raceRun = {x: float64 base64, y: uint8 base64, neuron: [activation, loss], lambd, lam_max,
// j_min (null: no finite minimum), start: [w0, b0], seed, names: [optimisers in the race's order], tol,
// explode: [cost, parameter], options: {widget key: [values]} (the select sliders), steps: the steps slider's key,
// chart: the race chart's key, labels: {templates, text, alpha, fields} (the legend names, ui/optimisers.py)}; the
// chart's layout.meta.race names its traces (core/figures/optimisers.py).
(() => {
  const P = (window.__racePreview = window.__racePreview || {});
  const N = window.__neuron;                        // ui/neuron.js

  // ---- numpy's default_rng(seed).permutation(m), exactly: SeedSequence, PCG64 (XSL-RR), Generator.shuffle

  const mul32 = (a, b) => Math.imul(a, b) >>> 0;
  // SeedSequence(seed).pool: the seed's 32-bit words mixed into four
  function seedPool(seed) {
    const words = [];
    for (let s = BigInt(seed); s > 0n; s >>= 32n) words.push(Number(s & 0xffffffffn));
    if (!words.length) words.push(0);
    let h = 0x43b0d7e5;
    const hashmix = (v) => {
      v = (v ^ h) >>> 0; h = mul32(h, 0x931e8875); v = mul32(v, h); return (v ^ (v >>> 16)) >>> 0;
    };
    const mix = (x, y) => { const r = (mul32(0xca01f9dd, x) - mul32(0x4973f715, y)) >>> 0; return (r ^ (r >>> 16)) >>> 0; };
    const pool = [0, 1, 2, 3].map((i) => hashmix(i < words.length ? words[i] : 0));
    for (let s = 0; s < 4; s++) for (let d = 0; d < 4; d++) if (s !== d) pool[d] = mix(pool[d], hashmix(pool[s]));
    for (let s = 4; s < words.length; s++) for (let d = 0; d < 4; d++) pool[d] = mix(pool[d], hashmix(words[s]));
    return pool;
  }
  // SeedSequence.generate_state(n) as 32-bit words
  function generateState(pool, n) {
    let h = 0x8b51f9dd;
    return Array.from({ length: n }, (_, i) => {
      let v = (pool[i % 4] ^ h) >>> 0; h = mul32(h, 0x58f38ded); v = mul32(v, h); return (v ^ (v >>> 16)) >>> 0;
    });
  }
  const MASK128 = (1n << 128n) - 1n, MASK64 = (1n << 64n) - 1n;
  const MULT = 0x2360ed051fc65da44385df649fccf645n;
  // PCG64 seeded as numpy seeds it; next32 hands out each 64-bit output's low half, then its high half
  function pcg64(seed) {
    const w = generateState(seedPool(seed), 8).map(BigInt);
    const u64 = (i) => w[2 * i] | (w[2 * i + 1] << 32n);
    const inc = ((((u64(2) << 64n) | u64(3)) << 1n) | 1n) & MASK128;
    let state = inc;                                             // 0·MULT + inc
    state = (state + ((u64(0) << 64n) | u64(1))) & MASK128;
    state = (state * MULT + inc) & MASK128;
    let half = null;
    const next64 = () => {
      state = (state * MULT + inc) & MASK128;
      const x = (state >> 64n) ^ (state & MASK64), rot = state >> 122n;
      return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
    };
    return {
      next32() {
        if (half !== null) { const h = half; half = null; return h; }
        const n = next64();
        half = Number(n >> 32n);
        return Number(n & 0xffffffffn);
      },
    };
  }
  // Generator.permutation(m): Fisher–Yates from the top, each index drawn by masked rejection
  function permutation(rng, m) {
    const a = new Int32Array(m);
    for (let i = 0; i < m; i++) a[i] = i;
    for (let i = m - 1; i >= 1; i--) {
      let mask = i;
      mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
      let j;
      do { j = (rng.next32() & mask) >>> 0; } while (j > i);
      const t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
  // The shuffle of epoch e for (seed, m): the same for every optimiser (each run seeds its own generator alike)
  function epochOrder(R, m, e) {
    if (!R.__orders) R.__orders = { rng: pcg64(R.seed), list: [] };
    const o = R.__orders;
    while (o.list.length <= e) o.list.push(permutation(o.rng, m));
    return o.list[e];
  }
  P.permutations = (seed, m, count) => {           // (read by the browser tests, against numpy)
    const rng = pcg64(seed);
    return Array.from({ length: count }, () => Array.from(permutation(rng, m)));
  };

  // ---- the four updates, as core/maths/optimisers.py's (t = 1, 2, …; the state is {v_dw, v_db, s_dw, s_db})

  const UPDATES = {
    gd: (p, dw, db, S, t, a) => { p.w = p.w - a * dw; p.b = p.b - a * db; },
    momentum: (p, dw, db, S, t, a) => {
      S.v_dw = S.beta1 * S.v_dw + dw; S.v_db = S.beta1 * S.v_db + db;
      p.w = p.w - a * S.v_dw; p.b = p.b - a * S.v_db;
    },
    rmsprop: (p, dw, db, S, t, a) => {
      S.s_dw = S.beta2 * S.s_dw + (1 - S.beta2) * dw * dw; S.s_db = S.beta2 * S.s_db + (1 - S.beta2) * db * db;
      p.w = p.w - a * dw / (Math.sqrt(S.s_dw) + S.eps); p.b = p.b - a * db / (Math.sqrt(S.s_db) + S.eps);
    },
    adam: (p, dw, db, S, t, a) => {
      S.v_dw = S.beta1 * S.v_dw + (1 - S.beta1) * dw; S.v_db = S.beta1 * S.v_db + (1 - S.beta1) * db;
      S.s_dw = S.beta2 * S.s_dw + (1 - S.beta2) * dw * dw; S.s_db = S.beta2 * S.s_db + (1 - S.beta2) * db * db;
      const c1 = 1 - S.beta1 ** t, c2 = 1 - S.beta2 ** t;
      S.v_hat_dw = S.v_dw / c1; S.v_hat_db = S.v_db / c1; S.s_hat_dw = S.s_dw / c2; S.s_hat_db = S.s_db / c2;
      p.w = p.w - a * S.v_hat_dw / (Math.sqrt(S.s_hat_dw) + S.eps);
      p.b = p.b - a * S.v_hat_db / (Math.sqrt(S.s_hat_db) + S.eps);
    },
  };
  const STATE = ["v_dw", "v_db", "s_dw", "s_db", "v_hat_dw", "v_hat_db", "s_hat_dw", "s_hat_db"];

  // One optimiser from the start for at most `steps` updates, as optimise: the cost and gradient of the whole data
  // set at each point, one update per batch (a new shuffle each epoch unless the batch is every example), α / (1 +
  // decay·epoch), and the stops (converged, the steps, or the last finite point). {w, b, cost, epoch} per point.
  function optimise(R, d, neuron, name, alpha, steps, s) {
    const { x, y } = d, m = x.length, lam = R.lambd, [costMax, paramMax] = R.explode;
    const full = s.batch >= m, update = UPDATES[name];
    const p = { w: R.start[0], b: R.start[1] };
    const S = { beta1: s.beta1, beta2: s.beta2, eps: s.eps };
    STATE.forEach((k) => { S[k] = 0; });
    const ws = [], bs = [], costs = [], epochs = [];
    let batches = [], epoch = -1, seen = 0;
    for (let k = 0; ; k++) {
      let sw = 0, sb = 0, sc = 0;
      for (let i = 0; i < m; i++) {
        const z = p.w * x[i] + p.b, dz = neuron.dZ(z, y[i]);
        sw += x[i] * dz; sb += dz; sc += neuron.value(z, y[i]);
      }
      let dw = sw / m + (lam / m) * p.w, db = sb / m;
      const cost = sc / m + lam / (2 * m) * (p.w * p.w);
      if (!(Number.isFinite(cost) && Number.isFinite(dw) && Number.isFinite(db)) || cost > costMax) {
        if (k === 0) return null;
        break;
      }
      ws.push(p.w); bs.push(p.b); costs.push(cost); epochs.push(seen / m);
      if (Math.sqrt(dw * dw + db * db) < R.tol || k === steps) break;
      if (!batches.length) {                          // a new epoch: shuffle, cut into batches
        epoch += 1;
        if (full) batches = [null];
        else {
          const order = epochOrder(R, m, epoch);
          for (let start = 0; start < m; start += s.batch) batches.push(order.subarray(start, start + s.batch));
          batches.reverse();
        }
      }
      const idx = batches.pop();
      if (!full) {
        let bw = 0, bb = 0;
        for (const i of idx) { const dz = neuron.dZ(p.w * x[i] + p.b, y[i]); bw += x[i] * dz; bb += dz; }
        dw = bw / idx.length + (lam / m) * p.w; db = bb / idx.length;
      }
      update(p, dw, db, S, k + 1, alpha / (1 + s.decay * epoch));
      seen += full ? m : idx.length;
      const finite = Number.isFinite(p.w + p.b) && STATE.every((key) => Number.isFinite(S[key]));
      if (!finite || Math.max(Math.abs(p.w), Math.abs(p.b)) > paramMax) break;
    }
    return { w: ws, b: bs, cost: costs, epoch: epochs };
  }

  // The race for the sliders' settings: {runs, n} with every run padded to steps + 1 points (as core's Race), or
  // null where it cannot be computed here
  function race(settings) {
    const R = window.__raceRun;
    if (!R || !N) return null;
    const neuron = N.lossOf(...R.neuron);
    const steps = Math.round(settings[R.steps]);
    if (!neuron || !(steps >= 0)) return null;
    const d = N.data(R), m = d.x.length;
    const s = { beta1: settings.opt_beta1, eps: settings.opt_eps, decay: settings.opt_decay,
                batch: settings.opt_batch === 0 ? m : Math.min(Math.round(settings.opt_batch), m) };
    const alphas = { gd: settings.opt_rate / R.lam_max, momentum: settings.opt_rate / R.lam_max,
                     rmsprop: settings.opt_adaptive, adam: settings.opt_adaptive };
    const beta2 = { rmsprop: settings.opt_rms_beta, adam: settings.opt_beta2 };
    const n = steps + 1, runs = [];
    for (const name of R.names) {
      const run = optimise(R, d, neuron, name, alphas[name], steps, { ...s, beta2: beta2[name] });
      if (!run) return null;
      run.kept = run.w.length;                      // the points it reached before it stopped
      for (const key of ["w", "b", "cost", "epoch"]) {
        const a = run[key], last = a[a.length - 1];
        while (a.length < n) a.push(last);
      }
      runs.push(run);
    }
    return { runs, n };
  }
  P.race = race;                    // (read by the browser tests, against core's race)

  // The legend name of one optimiser's run for settings t, as core/lessons/race.py's race_label makes it
  function label(R, name, t) {
    const L = R.labels, at = (key) => L.text[key][R.options[key].indexOf(t[key])];
    return L.templates[name].replace(/\{(\w+)\}/g, (_, f) => (f === "alpha" ? at(L.alpha[name]) : at(L.fields[f])));
  }
  P.label = (name, t) => label(window.__raceRun, name, t);       // (read by the browser tests)

  function chart(key) {
    const box = document.querySelector(`.st-key-${CSS.escape(key)}`);
    return box && box.querySelector(".js-plotly-plot");
  }

  // The pictures of the sliders' settings t: every run's trail, ball and cost curve, the floor J*, and the cost
  // axes as core/figures/optimisers.py sets them
  function pictures(t) {
    const R = window.__raceRun, gd = chart(R.chart);
    const meta = gd && gd.layout && gd.layout.meta && gd.layout.meta.race;
    if (!meta || JSON.stringify(meta.names) !== JSON.stringify(R.names)) return null;
    const got = race(t);
    if (!got) return null;
    const { runs, n } = got, f32 = (a) => a.map(Math.fround);
    const iterations = Array.from({ length: n }, (_, k) => k);
    const title = gd.layout.xaxis2 && gd.layout.xaxis2.title;
    const byEpoch = !!title && String(title.text || title).startsWith("epoch");
    const idx = [], data = [];
    runs.forEach((r, k) => {
      idx.push(meta.trail[k], meta.ball[k], meta.cost[k]);
      data.push({ x: f32(r.w), y: f32(r.b), name: label(R, R.names[k], t) },
                { x: [r.w[n - 1]], y: [r.b[n - 1]] },
                { x: byEpoch ? f32(r.epoch) : iterations, y: f32(r.cost), customdata: f32(r.epoch) });
    });
    if (Number.isInteger(meta.floor) && R.j_min !== null) {
      idx.push(meta.floor);
      data.push({ x: [0, n - 1], y: [R.j_min, R.j_min] });
    }
    // the cost chart's y axis: from the lowest cost to a little above the highest start
    const all = runs.flatMap((r) => r.cost);
    const j0 = Math.max(...runs.map((r) => r.cost[0]));
    const lo = Math.min(Math.min(...all), R.j_min === null ? Infinity : R.j_min);
    const pad = j0 - lo + 1e-9;
    const lastEpoch = Math.max(...runs.map((r) => r.epoch[n - 1]));
    const layout = { "yaxis2.range": [lo - 0.05 * pad, j0 + 0.25 * pad],
                     "xaxis2.range": [0, byEpoch ? lastEpoch : n - 1] };
    return [{ key: R.chart, idx, data, layout }];
  }

  const R0 = window.__raceRun;
  if (R0 && window.__sliderPreview) {
    window.__sliderPreview.register("race", { sliders: [...Object.keys(R0.options), R0.steps], options: R0.options,
                                              charts: [R0.chart], draw: pictures });
  }
})();
