// Basin's bridge between Streamlit and the basin figure (runs in the page; emitted by ui/basin_bridge.py).
// The figure (core/figures/basin) draws one trail, one curve and one ball per panel and slot, and carries every
// learning rate's run once, as float32 base64 in layout.meta.basin.runs. window.__basinToken is the rate chosen
// in Streamlit; this script swaps the slot's data to that run with one Plotly.update of a few traces: the
// figure is not re-sent or remounted, so the 3D camera stays where the student turned it. It also plays the
// animation from the same payload (Play, Pause, Slow, Fast, Step and the step slider are plotly controls with
// method "skip", found by their action, args[0]), and remembers the camera for the next real remount.
// The contract with the figure is layout.meta.basin alone: which trace plays which role (trail3d, trailmap,
// cost, curve: one per slot, with the run they show in their trace `meta`; ball3d, ballmap, ballcost: one trace
// with a point per slot), the payload, and the controls' actions; plotly's public API and events only.
(() => {
  const B = (window.__basinBridge = window.__basinBridge || { camera: null });
  // plotly.js is loaded lazily with the first chart, so look it up at use time, never at start.
  const SPEEDS = { play: 120, slow: 450, fast: 30 };

  function decode(spec) {
    const bin = atob(spec.bdata);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  // The decoded payload and the animation's state, per figure (a new figure brings a new meta object).
  function state(gd, m) {
    if (gd.__basin && gd.__basin.meta === m) return gd.__basin;
    if (gd.__basin) stop(gd.__basin);
    const r = m.runs;
    gd.__basin = { meta: m, step: 0, timer: null, duration: SPEEDS.play, K: r.K, n: r.n, P: r.P, labels: r.labels,
                   w: decode(r.w), b: decode(r.b), z: decode(r.z), j: decode(r.j), cx: decode(r.cx),
                   cy: decode(r.cy), steps: Array.from({ length: r.n }, (_, i) => i) };
    return gd.__basin;
  }

  // plain arrays: plotly's restyle does not take views into a typed array
  const row = (a, k, n) => Array.from(a.subarray(k * n, (k + 1) * n));
  const curveAt = (s, a, k, step) => Array.from(a.subarray((k * s.n + step) * s.P, (k * s.n + step + 1) * s.P));
  const slotRuns = (gd, m) => m.trail3d.map((i) => gd.data[i].meta);

  // The balls and curves of every slot at one step, as one Plotly.update (with the slider's position).
  function frame(gd, m, s, runs, step) {
    const at = (a) => runs.map((k) => a[k * s.n + step]);
    const idx = [m.ball3d, m.ballmap, m.ballcost, ...m.curve];
    return {
      idx: idx,
      data: { x: [at(s.w), at(s.w), runs.map(() => step), ...runs.map((k) => curveAt(s, s.cx, k, step))],
              y: [at(s.b), at(s.b), at(s.j), ...runs.map((k) => curveAt(s, s.cy, k, step))],
              z: [at(s.z), ...idx.slice(1).map(() => undefined)] },
    };
  }

  function draw(gd, step) {
    const m = gd.layout.meta.basin, s = state(gd, m);
    s.step = Math.max(0, Math.min(step, s.n - 1));
    const f = frame(gd, m, s, slotRuns(gd, m), s.step);
    return window.Plotly.update(gd, f.data, { "sliders[0].active": s.step }, f.idx);
  }

  function stop(s) { if (s.timer) clearTimeout(s.timer); s.timer = null; s.playing = false; }

  function play(gd, duration) {
    const s = state(gd, gd.layout.meta.basin);
    s.duration = duration;
    if (s.playing) return;
    s.playing = true;
    if (s.step >= s.n - 1) s.step = -1;
    const tick = () => {
      if (!s.playing || gd.__basin !== s) return;
      if (s.step >= s.n - 1) { stop(s); return; }
      // the next frame is asked for once this one is drawn: a slow machine never queues frames
      draw(gd, s.step + 1).then(() => { if (s.playing) s.timer = setTimeout(tick, s.duration); });
    };
    tick();
  }

  function act(gd, action, arg) {
    const s = state(gd, gd.layout.meta.basin);
    if (action in SPEEDS) return play(gd, SPEEDS[action]);
    stop(s);
    if (action === "step") draw(gd, s.step + 1);
    else if (action === "seek") draw(gd, Number(arg));
  }

  function hook(gd, m) {
    if (gd.__basinHooked) return;
    const Plotly = window.Plotly;
    gd.__basinHooked = true;
    gd.on("plotly_relayout", (e) => {
      if (e && Object.keys(e).some((k) => k.startsWith("scene.camera")) && gd.layout.scene) {
        B.camera = JSON.parse(JSON.stringify(gd.layout.scene.camera));
      }
    });
    // Streamlit's chart component may redraw the figure from its spec (Plotly.react) at any time, e.g. on a
    // resize; that would show the spec's default run again, so re-apply the chosen run after every plot.
    gd.on("plotly_afterplot", () => show(gd));
    gd.on("plotly_buttonclicked", (e) => {
      const b = e && e.button;
      const m = gd.layout.meta && gd.layout.meta.basin;
      if (m && b && b.method === "skip" && b.args && m.actions.includes(b.args[0])) act(gd, b.args[0]);
    });
    gd.on("plotly_sliderchange", (e) => {
      const a = e && e.step && e.step.args;
      if (e.interaction && a && a[0] === "seek") act(gd, "seek", a[1]);
    });
    if (B.camera) Plotly.relayout(gd, { "scene.camera": B.camera });
  }

  // A phone: one column (the figure's own narrow layout, meta.basin.narrow), again after every redraw from
  // the spec (which brings the wide layout back).
  function fit(gd, m) {
    if (!m.narrow || gd.layout.legend.orientation === "h" || gd.getBoundingClientRect().width >= m.narrow_px) return;
    B.narrowed = (B.narrowed || 0) + 1;
    window.Plotly.relayout(gd, m.narrow);
  }

  function show(gd) {
    const m = gd.layout && gd.layout.meta && gd.layout.meta.basin;
    if (!m || !gd.data || !window.Plotly) return;
    hook(gd, m);
    const s = state(gd, m);
    fit(gd, m);
    if (m.mode !== "one") return;
    const r = m.tokens.indexOf(window.__basinToken);
    if (r < 0 || slotRuns(gd, m)[0] === r) return;
    // One update of the slot's seven traces: the trail in 3D and on the map, the cost, the curve, the balls.
    const step = s.step, label = s.labels[r], f = frame(gd, m, s, [r], step);
    const idx = [m.trail3d[0], m.trailmap[0], m.cost[0], ...f.idx];
    const start = performance.now();          // timings for benchmarks/basin_latency.py
    window.Plotly.update(gd, {
      x: [row(s.w, r, s.n), row(s.w, r, s.n), s.steps, ...f.data.x],
      y: [row(s.b, r, s.n), row(s.b, r, s.n), row(s.j, r, s.n), ...f.data.y],
      z: [row(s.z, r, s.n), undefined, undefined, ...f.data.z],
      meta: [r, r, r, undefined, undefined, undefined, r],
      name: [label, label, label, undefined, undefined, undefined, "output, " + label],
    }, {}, idx);
    B.lastSwitch = { start: start, end: performance.now() };
  }

  // Follow the learning-rate slider at once, while its rerun is still on the way (and while it is dragged):
  // its hidden range input holds the index into the slider's options, window.__basinOrder. The rerun then
  // confirms the same token, and brings the table and text that go with it.
  function fromSlider() {
    const order = window.__basinOrder;
    const input = document.querySelector(".st-key-alpha input[type=range]");
    if (!order || !input || input.disabled) return;
    const token = order[Number(input.value)];
    if (token !== undefined) window.__basinToken = token;
  }

  function scan() { document.querySelectorAll(".js-plotly-plot").forEach(show); }
  scan();
  if (!B.observer) {
    let queued = false;
    B.observer = new MutationObserver((records) => {
      if (records.some((r) => r.type === "attributes")) { fromSlider(); scan(); return; }
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; scan(); });
    });
    B.observer.observe(document.body, { childList: true, subtree: true, attributes: true,
                                        attributeFilter: ["value"] });
  }
})();
