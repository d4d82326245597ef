// Basin's bridge between Streamlit and the basin figure (runs in the page; emitted by ui/basin_bridge.py).
// The figure (core/figures/basin) holds a surface, the data and one trail, curve and ball per panel and slot, four
// slots whatever is shown (empty, or holding the runs of the payload named in layout.meta.basin.drawn). Streamlit
// is handed the same figure for as long as its structure stays (its traces and roles: layout.meta.basin.id),
// whatever the surface, the runs and the race, so it neither re-sends nor remounts it (the WebGL scene is set up
// once, the 3D camera stays).
// What changes comes beside it: window.__basinSurface, what the surface decides (the surface's w, b, J, the data,
// the click grid, the minimum, the axes' ranges and titles; its key, and the figure it is for), re-sent only when
// it changes; and window.__basinRuns, every learning rate's run as float32 base64, with the figure's id and the key
// of the surface the runs were cut to, and its mode: "one" (the run of window.__basinToken, the rate chosen in
// Streamlit, in slot 0) or "race" (the runs of its `shown`, one slot each). This script draws the surface (when
// the figure holds another) and the shown runs with one Plotly.update (restyle and relayout) of a few traces, and
// shows the slots that hold a run and hides the others (out of the legend) when that changes, so the race goes on
// and off in the same chart and the 3D camera stays where the student turned it. Another run of the same payload
// in the same slots (a new learning rate, a step of the animation) is drawn by quick(): only its traces, on the
// payload's cost scale (cost_axes, the same for all its runs). It also plays the animation from
// the same payload (Play, Pause, Slow, Fast, Step and the step slider are plotly controls with method "skip", found
// by their action, args[0]), and remembers the camera for the next real remount.
// The contract with the figure is layout.meta.basin alone: which trace plays which role (surface3d, contour,
// min3d, minmap, pick, classes; trail3d, trailmap, cost, curve: one per slot, with the run they show in their
// trace `meta`, -1 while empty, hidden (visible false) while not shown; ball3d, ballmap, ballcost: one trace with
// a point per shown slot; start3d, startmap), the controls' actions, the figure's id and the key of the surface its
// spec holds (meta.basin.surface);
// plotly's public API and events, and where they fall short (each place says why) the 3D scene's own objects
// (setPicking, keepSurfaces, redraw3d) and the 2D panels' trace layers (keepLayers).
(() => {
  const B = (window.__basinBridge = window.__basinBridge || { camera: null });
  // plotly.js is loaded lazily with the first chart, so look it up at use time, never at start.
  const SPEEDS = { play: 120, slow: 450, fast: 30 };
  const { keepLayers, nodesOf, relink, keepSurfaces } = window.__plotlyAnimation;   // ui/plotly_animation.js

  function decode(spec) {
    const bin = atob(spec.bdata);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  // The runs for this figure: the payload whose id is the figure's (while a rerun brings a new surface, the
  // payload and the figure may arrive one before the other: each waits for its match).
  function payloadFor(m) {
    const p = window.__basinRuns;
    return p && p.id === m.id ? p : null;
  }

  // The surface the runs were cut to (its payload comes in an element of its own: wait for it).
  function surfaceFor(p) {
    const S = window.__basinSurface;
    return S && S.key === p.surface ? S : null;
  }

  const TYPED = { f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
                  u2: Uint16Array, i4: Int32Array, u4: Uint32Array };
  // An array of the figure's JSON (plotly's typed form {dtype, bdata, shape}, or a list) as plain arrays, which
  // plotly's restyle takes (2D: a list of rows).
  function plain(a) {
    if (!a || Array.isArray(a)) return a;
    const bin = atob(a.bdata), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const flat = new TYPED[a.dtype](bytes.buffer);
    const shape = String(a.shape || flat.length).split(",").map(Number);
    if (shape.length < 2) return Array.from(flat);
    const c = shape[1];
    return Array.from({ length: shape[0] }, (_, r) => Array.from(flat.subarray(r * c, (r + 1) * c)));
  }

  // One Plotly.update of the surface's traces and layout: the surface and the contours (the same w, b, J), the
  // minimum (hidden when there is none), the click grid, the data and their hover text, the ranges and titles.
  function surfaceUpdate(m, S) {
    const d = S.drawn || (S.drawn = { w: plain(S.w), b: plain(S.b), J: plain(S.J), px: plain(S.pick.x),
                                      py: plain(S.pick.y), cx: S.classes.map((c) => plain(c.x)),
                                      cy: S.classes.map((c) => plain(c.y)) });
    const mn = S.minimum || [null, null, null], on = !!S.minimum, U = undefined;
    const none = m.classes.map(() => U);
    return {
      idx: [m.surface3d, m.contour, m.min3d, m.minmap, m.pick, ...m.classes],
      data: { x: [d.w, d.w, [mn[0]], [mn[0]], d.px, ...d.cx], y: [d.b, d.b, [mn[1]], [mn[1]], d.py, ...d.cy],
              z: [d.J, d.J, [mn[2]], U, U, ...none], visible: [U, U, on, on, U, ...none],
              hovertemplate: [U, U, U, U, U, ...S.classes.map((c) => c.hovertemplate)] },
      layout: JSON.parse(JSON.stringify(S.layout)),      // plotly keeps the arrays it is given: a copy each time
      surface: true,
    };
  }

  // Whether the layout holds the surface's 3D ranges (a redraw from the spec brings the spec's back; the student
  // cannot change them, unlike the top view's, which panning moves).
  const at = (o, path) => path.split(".").reduce((a, k) => (a == null ? a : a[k]), o);
  const RANGES = ["scene.xaxis.range", "scene.yaxis.range", "scene.zaxis.range"];
  const near = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  function rangesHeld(gd, S) {
    return RANGES.every((k) => { const a = at(gd.layout, k), b = S.layout[k];
                                 return a && a.length === 2 && near(a[0], b[0]) && near(a[1], b[1]); });
  }

  // Several updates as one (their traces are distinct): one restyle and relayout, one redraw.
  function merge(parts) {
    const out = { idx: [], data: {}, layout: {} };
    for (const part of parts) {
      for (const k of Object.keys(part.data)) if (!out.data[k]) out.data[k] = out.idx.map(() => undefined);
      for (const k of Object.keys(out.data)) {
        const v = part.data[k];
        part.idx.forEach((_, i) => out.data[k].push(v ? v[i] : undefined));
      }
      out.idx.push(...part.idx);
      Object.assign(out.layout, part.layout);
    }
    return out;
  }

  // The decoded payload and the animation's state, per payload (new runs start the animation at step 0). A
  // rerun re-sends the payload as a new object: payloads are the same when their keys are.
  function state(gd, p) {
    if (gd.__basin && gd.__basin.payload.key === p.key) return gd.__basin;
    if (gd.__basin) stop(gd.__basin);
    gd.__basin = { payload: p, step: 0, timer: null, duration: SPEEDS.play, K: p.K, n: p.n, P: p.P,
                   labels: p.labels, w: decode(p.w), b: decode(p.b), z: decode(p.z), j: decode(p.j),
                   cx: decode(p.cx), cy: decode(p.cy), steps: Array.from({ length: p.n }, (_, i) => i) };
    return gd.__basin;
  }

  // plain arrays: plotly's restyle does not take views into a typed array
  const row = (a, k, n) => Array.from(a.subarray(k * n, (k + 1) * n));
  const curveAt = (s, a, k, step) => Array.from(a.subarray((k * s.n + step) * s.P, (k * s.n + step + 1) * s.P));
  // the runs the shown slots hold (the shown slots come first: slot 0, 1, ...)
  const shownSlot = (gd, i) => gd.data[i].visible !== false;
  const slotRuns = (gd, m) => m.trail3d.filter((i) => shownSlot(gd, i)).map((i) => gd.data[i].meta);

  // The balls and curves of every slot at one step, as one Plotly.update (with the slider's position).
  function frame(gd, m, s, runs, step) {
    const at = (a) => runs.map((k) => a[k * s.n + step]);
    const idx = [m.ball3d, m.ballmap, m.ballcost, ...m.curve.slice(0, runs.length)];
    return {
      idx: idx,
      data: { x: [at(s.w), at(s.w), runs.map(() => step), ...runs.map((k) => curveAt(s, s.cx, k, step))],
              y: [at(s.b), at(s.b), at(s.j), ...runs.map((k) => curveAt(s, s.cy, k, step))],
              z: [at(s.z), ...idx.slice(1).map(() => undefined)] },
    };
  }

  function draw(gd, step) {
    const m = gd.layout.meta.basin, s = gd.__basin;
    s.step = Math.max(0, Math.min(step, s.n - 1));
    const f = frame(gd, m, s, slotRuns(gd, m), s.step);
    return quick(gd, { idx: f.idx, data: f.data, layout: sliderAt(gd, s.step) });
  }

  // New numbers in traces that stay as they are otherwise (the same slots shown, the same axes): plotly's
  // restyle would compute and draw every trace of every panel again, and redraw the legend, the buttons and the
  // slider, about 150 ms of main thread per change here; an animation of no duration that does not redraw
  // (plotly's animate, redraw false) draws only the traces given (and the 3D scene), about a third of that.
  // A new name (the run's rate) then restyles the names alone (the legend), and a moved step slider is
  // relaid out alone.
  const QUICK = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };
  function quick(gd, u) {
    const Plotly = window.Plotly, names = u.data.name || [];
    const renamed = u.idx.map((i, j) => j).filter((j) => names[j] !== undefined && gd.data[u.idx[j]].name !== names[j]);
    const traces = u.idx.map((_, j) => {
      const t = {};
      for (const k of Object.keys(u.data)) if (k !== "visible" && u.data[k][j] !== undefined) t[k] = u.data[k][j];
      return t;
    });
    // the 3D scene and the map's layers are seen to at plotly_transitioning (hook), while a quick update is
    // under way (several may overlap: the student is faster than the drawing); the scene again once done
    gd.__basinQuick = (gd.__basinQuick || 0) + 1;
    const then = () => {
      gd.__basinQuick -= 1;
      redraw3d(gd);
      const more = [];
      if (renamed.length) more.push(Plotly.restyle(gd, { name: renamed.map((j) => names[j]) },
                                                   renamed.map((j) => u.idx[j])));
      if (Object.keys(u.layout).length) more.push(Plotly.relayout(gd, u.layout));
      return Promise.all(more);
    };
    B.quick = (B.quick || 0) + 1;               // (read by the browser tests)
    const nodes = nodesOf(gd);
    const relinked = () => { relink(gd, nodes); return then(); };
    // an animation interrupted by the next one (the student is faster than the drawing) is not an error
    return Plotly.animate(gd, { data: traces, traces: u.idx }, QUICK).then(relinked, relinked);
  }

  // plotly's animate draws the traces it can animate (the 2D ones) and not a 3D scene: the scene is given its
  // traces again (plotly's own step for a scene, which the surface skips: keepSurfaces) when it does not draw the
  // figure's traces as they are now (plotly makes new trace objects for what changed), as soon as the new data
  // are in (plotly_transitioning: the same frame as the 2D traces). Calling it again draws nothing.
  function redraw3d(gd) {
    const L = gd._fullLayout, scene = L && L.scene && L.scene._scene;
    if (!scene || !scene.traces) return;
    const mine = gd._fullData.filter((t) => t.scene === "scene");
    if (mine.every((t) => scene.traces[t.uid] && scene.traces[t.uid].data === t)) return;
    scene.plot(mine, L, gd.layout);
  }

  // The cost panel's axes: the payload's scale (the same for all its runs; core.figures.basin.paths), linear or
  // log as the panel is shown.
  function costAxes(gd, p) {
    const log = gd._fullLayout && gd._fullLayout.yaxis3 && gd._fullLayout.yaxis3.type === "log";
    return { "xaxis3.range": p.cost_axes.x.slice(), "yaxis3.range": p.cost_axes[log ? "log" : "linear"].slice() };
  }

  // The step slider's position, only when it moves: setting it redraws the slider a second time in that update.
  function sliderAt(gd, step) {
    const slider = gd.layout.sliders && gd.layout.sliders[0];
    return slider && slider.active === step ? {} : { "sliders[0].active": step };
  }

  function stop(s) { if (s.timer) clearTimeout(s.timer); s.timer = null; s.playing = false; }

  function play(gd, duration) {
    const s = gd.__basin;
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
    const s = gd.__basin, m = gd.layout.meta.basin;
    if (!s || slotRuns(gd, m).some((k) => k < 0)) return;        // the runs are not drawn yet
    if (action in SPEEDS) return play(gd, SPEEDS[action]);
    stop(s);
    if (action === "step") draw(gd, s.step + 1);
    else if (action === "seek") draw(gd, Number(arg));
  }

  // Hover in the 3D scene: plotly draws every pickable object of the scene a second time into a picking buffer
  // after each change, and reads all of it back, which waits for the whole render (in software WebGL that
  // doubles what a new run costs to show). Only the surface has a hover (the trails and balls skip it), and only
  // a pointer over the scene can hover it, so the surface is pickable while the pointer is over the scene's
  // canvas, and nothing is while it is anywhere else (on a slider, say).
  // plotly builds a trace's objects again (pickable, as every new object is) in its scene's own plot, which also
  // runs without a plotly_afterplot (redraw3d; plotly's recovery of a lost WebGL context): the scene's plot is
  // wrapped once per scene so that the picking is set again after every drawing of it.
  function setPicking(gd) {
    const scene = gd._fullLayout && gd._fullLayout.scene && gd._fullLayout.scene._scene;
    if (scene && !scene.__basinPicking) {
      scene.__basinPicking = true;
      const plot = scene.plot;
      scene.plot = function (...args) { const out = plot.apply(this, args); setPicking(gd); return out; };
    }
    const gl = scene && scene.glplot;
    if (!gl || !gl.objects || !gl.objects.length) return;
    const surfaces = new Set(Object.values(scene.traces || {})
      .filter((t) => t && t.data && t.data.type === "surface").map((t) => t.surface));
    let changed = false;
    for (const o of gl.objects) {
      const slots = gd.__basinPointerIn3d && surfaces.has(o) ? 1 : 0;
      if (o.pickSlots !== slots) { o.pickSlots = slots; changed = true; }
    }
    // gl-plot3d shares out its picking buffers when an object is added or removed; re-adding the last object
    // (the drawing order stays) makes it share them out again for the new slots.
    if (changed) { const o = gl.objects[gl.objects.length - 1]; gl.remove(o); gl.add(o); }
  }

  function hook(gd, m) {
    if (gd.__basinHooked) return;
    const Plotly = window.Plotly;
    gd.__basinHooked = true;
    gd.addEventListener("pointerover", (e) => {
      const inside = e.target instanceof HTMLCanvasElement && !!e.target.closest(".gl-container");
      if (inside !== !!gd.__basinPointerIn3d) { gd.__basinPointerIn3d = inside; setPicking(gd); }
    });
    gd.addEventListener("pointerleave", () => { gd.__basinPointerIn3d = false; setPicking(gd); });
    gd.on("plotly_relayout", (e) => {
      if (e && Object.keys(e).some((k) => k.startsWith("scene.camera")) && gd.layout.scene) {
        B.camera = JSON.parse(JSON.stringify(gd.layout.scene.camera));
      }
      // the cost panel switched between linear and log J, or reset by a double click: the payload's scale
      const p = e && gd.layout.meta && gd.layout.meta.basin && payloadFor(gd.layout.meta.basin);
      if (p && ["yaxis3.type", "yaxis3.autorange", "xaxis3.autorange"].some((k) => k in e)) {
        Plotly.relayout(gd, costAxes(gd, p));
      }
    });
    // Streamlit's chart component may redraw the figure from its spec (Plotly.react) at any time, e.g. on a
    // resize; that would empty the slots again, so draw the chosen runs after every plot.
    gd.on("plotly_afterplot", () => { keepSurfaces(gd); setPicking(gd); show(gd); });
    gd.on("plotly_transitioning", () => { if (gd.__basinQuick > 0) { keepLayers(gd); redraw3d(gd); } });
    gd.on("plotly_buttonclicked", (e) => {
      const b = e && e.button;
      const m = gd.layout.meta && gd.layout.meta.basin;
      if (m && b && b.method === "skip" && b.args && m.actions.includes(b.args[0])) act(gd, b.args[0]);
    });
    gd.on("plotly_sliderchange", (e) => {
      const a = e && e.step && e.step.args;
      if (e.interaction && a && a[0] === "seek") act(gd, "seek", a[1]);
    });
    // The keyboard, for a student who does not use a pointer (plotly's buttons and step slider take no keys): Tab
    // to the chart, then Space plays or pauses, → and ← step, Home and End go to the first and the last step.
    gd.tabIndex = 0;
    gd.setAttribute("role", "group");
    gd.setAttribute("aria-label", "The basin and the ball's run. Space plays or pauses; the arrow keys step.");
    gd.setAttribute("aria-keyshortcuts", "Space ArrowRight ArrowLeft Home End");
    gd.addEventListener("keydown", (e) => {
      const s = gd.__basin;
      if (!s || e.target !== gd || e.altKey || e.ctrlKey || e.metaKey) return;
      const speed = Object.keys(SPEEDS).find((k) => SPEEDS[k] === s.duration) || "play";
      const keys = { " ": () => act(gd, s.playing ? "pause" : speed), ArrowRight: () => act(gd, "step"),
                     ArrowLeft: () => act(gd, "seek", s.step - 1), Home: () => act(gd, "seek", 0),
                     End: () => act(gd, "seek", s.n - 1) };
      if (e.key in keys) { e.preventDefault(); keys[e.key](); }
    });
    if (B.camera) Plotly.relayout(gd, { "scene.camera": B.camera });
  }

  // A phone: one column (the figure's own narrow layout, meta.basin.narrow; ui/plotly_animation.js); a chart
  // a little wider: the basin the whole width (meta.basin.medium). The projector view's copy: shorter lower
  // titles below its compact_px (meta.basin.compact; the student's figure has no compact_px), and on a phone the
  // student's text sizes and margins (meta.basin.phone, core/figures/projector.py phone_step).
  function fit(gd, m) {
    const steps = [{ layout: m.medium, narrow_px: m.medium_px }, { layout: m.compact, narrow_px: m.compact_px },
                   { layout: m.narrow, narrow_px: m.narrow_px },
                   { layout: m.phone && m.phone.layout, viewport_px: m.phone && m.phone.viewport_px }];
    const done = window.__plotlyAnimation.fitNarrow(gd, steps.filter((s) => s.layout));
    if (done) B[done] = (B[done] || 0) + 1;                   // (read by the browser tests)
  }

  // The step slider's steps for n points (the figure's own slider has one: its length comes with the runs).
  const sliderSteps = (n) => Array.from({ length: n }, (_, i) => ({ label: String(i), method: "skip",
                                                                       args: ["seek", i] }));

  function show(gd) {
    const m = gd.layout && gd.layout.meta && gd.layout.meta.basin;
    if (!m || !gd.data || !window.Plotly) return;
    hook(gd, m);
    // on a first load the figure's spec already holds the runs (nothing to update below), and plotly may have
    // drawn it, with its plotly_afterplot, before this script hooked it: the picking is set here too
    setPicking(gd);
    keepSurfaces(gd);
    fit(gd, m);
    const p = payloadFor(m);
    const S = p && surfaceFor(p);
    if (!S) return;
    const s = state(gd, p);
    let want = p.shown;
    if (p.mode === "one") {
      const r = p.tokens.indexOf(window.__basinToken);
      if (r < 0) return;
      want = [r];
    }
    const parts = [];
    // Which surface the figure holds: the one this script drew last, unless Streamlit has drawn the figure from
    // its spec since (new arrays), which holds the surface named in meta.surface.
    const surface = gd.data[m.surface3d];
    const drawnSurface = surface.z === gd.__basinSurfaceZ ? gd.__basinSurfaceKey : m.surface;
    if (drawnSurface !== S.key || !rangesHeld(gd, S)) parts.push(surfaceUpdate(m, S));
    // Which payload the slots hold: the one this script drew last, unless Streamlit has drawn the figure from
    // its spec since (new trace objects), whose slots hold the payload named in meta.drawn (or are empty).
    const have = slotRuns(gd, m), trace = gd.data[m.trail3d[0]];
    const held = trace === gd.__basinTrace ? gd.__basinDrawn : m.drawn;
    gd.__basinTrace = trace;
    gd.__basinDrawn = p.key;
    if (held !== p.key || have.length !== want.length || !want.every((k, i) => have[i] === k)) {
      parts.push(runsUpdate(gd, m, s, p, want, held !== p.key));
    }
    if (!parts.length) return;
    const start = performance.now();          // timings for benchmarks/basin_latency.py
    const u = merge(parts);
    // another run of the same payload in the same slots (a new learning rate): only its traces are drawn
    if (parts.length === 1 && parts[0].quick) quick(gd, u);
    else window.Plotly.update(gd, u.data, u.layout, u.idx).then(() => setPicking(gd));
    gd.__basinSurfaceZ = surface.z;
    gd.__basinSurfaceKey = S.key;
    B.lastSwitch = { start: start, end: performance.now(), slots: want.length,
                     surface: parts.some((part) => part.surface) };
  }

  // One update of the slots' traces: the trails in 3D and on the map, the costs, the curves, the balls, the
  // start, and the step slider's length (the animation keeps its step when only the rate changes). When the number
  // of shown runs changes (the race on or off, more or fewer raced rates), the slots that hold a run are shown and
  // the others hidden and emptied, in the same update; otherwise the hidden slots are left alone. A new payload
  // (fresh) brings the cost panel's scale; the same payload in the same slots is a quick update (quick()).
  function runsUpdate(gd, m, s, p, want, fresh) {
    const step = Math.min(s.step, s.n - 1), f = frame(gd, m, s, want, step), n = want.length, U = undefined;
    const label = (k) => s.labels[k], none = want.map(() => U);
    const rows = (a) => want.map((k) => row(a, k, s.n));
    const layout = sliderAt(gd, step);
    const resized = !gd.layout.sliders || gd.layout.sliders[0].steps.length !== s.n;
    if (resized) {
      layout["sliders[0].steps"] = sliderSteps(s.n);
      layout["sliders[0].active"] = step;
    }
    if (fresh) Object.assign(layout, costAxes(gd, p));
    const swap = m.trail3d.some((i, slot) => shownSlot(gd, i) !== (slot < n));
    const on = swap ? true : U, ons = want.map(() => on);
    // the slots beyond the shown runs, in the four roles: hidden and empty (only when that changes)
    const rest = swap ? ["trail3d", "trailmap", "cost", "curve"].map((r) => m[r].slice(n)) : [[], [], [], []];
    const off = [].concat(...rest), empty = off.map(() => []);
    return {
      idx: [...m.trail3d.slice(0, n), ...m.trailmap.slice(0, n), ...m.cost.slice(0, n), m.start3d, m.startmap,
            ...f.idx, ...off],
      data: {
        x: [...rows(s.w), ...rows(s.w), ...want.map(() => s.steps), [p.start[0]], [p.start[0]], ...f.data.x,
            ...empty],
        y: [...rows(s.b), ...rows(s.b), ...rows(s.j), [p.start[1]], [p.start[1]], ...f.data.y, ...empty],
        z: [...rows(s.z), ...none, ...none, [p.start[2]], U, ...f.data.z, ...rest[0].map(() => []),
            ...off.slice(rest[0].length).map(() => U)],
        meta: [...want, ...want, ...want, U, U, U, U, U, ...want, ...off.map(() => -1)],
        name: [...want.map(label), ...want.map(label), ...want.map(label), U, U, U, U, U,
               ...want.map((k) => "output, " + label(k)), ...off.map(() => U)],
        visible: [...ons, ...ons, ...ons, U, U, U, U, U, ...ons, ...off.map(() => false)],
      },
      layout: layout,
      quick: !fresh && !swap && !resized,
    };
  }

  // Follow the learning-rate slider at once, while its rerun is still on the way (and while it is dragged):
  // its hidden range input holds the index into the slider's options, window.__basinOrder. The rerun then
  // confirms the same token, and brings the table and text that go with it.
  // Only while the student is on that slider (its thumb has the focus, by key or pointer): a rerun for another
  // control re-orders the slider's options (the named rates follow the curvature), and its new index read
  // through the old order would name another run, shown for a moment on the old figure.
  function fromSlider() {
    const order = window.__basinOrder;
    const box = document.querySelector(".st-key-alpha");
    const input = box && box.querySelector("input[type=range]");
    if (!order || !input || input.disabled || !box.contains(document.activeElement)) return;
    const token = order[Number(input.value)];
    if (token !== undefined) window.__basinToken = token;
  }

  function scan() { document.querySelectorAll(".js-plotly-plot").forEach(show); }
  B.scan = scan;                               // the surface's element calls it when a new surface arrives
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
