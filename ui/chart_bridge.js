// Basin's chart bridge (emitted by ui/chart_bridge.py beside each kept chart): draws into a chart the browser
// already shows what differs from its spec, window.__charts[key] (the changed traces, layout keys and frames),
// so a new run does not make Streamlit take the chart down and plotly build it again.
// The chart is the plotly div inside Streamlit's element of that key (class "st-key-" and the key), holding the spec whose
// layout.meta.bridge is the payload's id. What it shows is tracked per trace: the hash of what this script drew
// last, while plotly still holds the object it drew into; else the spec's (Streamlit drew the chart from its spec
// again, e.g. on a resize).
(() => {
  const B = (window.__chartBridge = window.__chartBridge || {});
  const TYPED = { f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
                  u2: Uint16Array, i4: Int32Array, u4: Uint32Array };

  // plotly's typed arrays ({dtype, bdata, shape}) as plain arrays (an animation takes plain arrays), deeply
  function plain(v) {
    if (Array.isArray(v)) return v.map(plain);
    if (!v || typeof v !== "object") return v;
    if (typeof v.bdata === "string" && v.dtype in TYPED) {
      const bin = atob(v.bdata), bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const flat = Array.from(new TYPED[v.dtype](bytes.buffer));
      const shape = String(v.shape || flat.length).split(",").map(Number);
      if (shape.length < 2) return flat;
      const c = shape[1];
      return Array.from({ length: shape[0] }, (_, r) => flat.slice(r * c, (r + 1) * c));
    }
    const out = {};
    for (const k of Object.keys(v)) out[k] = plain(v[k]);
    return out;
  }

  const { keepLayers, nodesOf, relink, keepSurfaces, fitNarrow } = window.__plotlyAnimation;   // ui/plotly_animation.js
  const SWAPPABLE = ["x", "y", "customdata", "text", "hovertext"];
  const NUMBERS = ["x", "y", "z", "customdata"];         // a trace's numbers (ui/chart_bridge.py's NUMBERS)
  const QUICK = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };

  function hook(gd) {
    if (gd.__bridgeHooked) return;
    gd.__bridgeHooked = true;
    gd.on("plotly_transitioning", () => { if (gd.__bridgeQuick > 0) keepLayers(gd); });
    // the figure's own animations (Replay, Play: its frames) unlink the traces they do not move, as ours do
    gd.__bridgeNodes = nodesOf(gd);
    const relinkAll = () => { relink(gd, gd.__bridgeNodes); gd.__bridgeNodes = nodesOf(gd); };
    gd.on("plotly_animated", relinkAll);
    gd.on("plotly_animationinterrupted", relinkAll);
    // Streamlit may draw the chart from its spec again at any time: draw the payload again after every plot
    gd.on("plotly_afterplot", () => { gd.__bridgeNodes = nodesOf(gd); keepSurfaces(gd); queueMicrotask(scan); });
    keepSurfaces(gd);         // a new run in a 3D scene does not build its surfaces again
  }

  // What the chart shows of trace i: what this script drew last if plotly still holds that object, else the spec's.
  function shownTrace(gd, p, i) {
    const mine = gd.__bridge && gd.__bridge.traces[i];
    return mine && gd.data[i] === mine.obj ? mine : p.base[i];
  }

  // New data (x, y, ...) of 2D scatter traces idx, drawn by an animation of no duration: only those traces are
  // drawn again. Resolves when drawn, failed or not.
  function animateData(gd, idx, data) {
    gd.__bridgeQuick = (gd.__bridgeQuick || 0) + 1;
    const nodes = nodesOf(gd);
    const then = () => { gd.__bridgeQuick -= 1; relink(gd, nodes); };
    // plotly's animate takes down the trace layer of a panel none of whose traces it animates (the log-loss
    // map when only the squared-error run changed): one trace of each such panel is animated as it is
    const panel = (t) => `${t.xaxis}${t.yaxis}`;
    const moving = new Set(idx.map((i) => panel(gd._fullData[i])));
    const still = [];
    gd._fullData.forEach((t, i) => {
      if (t.type === "scatter" && t.visible === true && !moving.has(panel(t))) { moving.add(panel(t)); still.push(i); }
    });
    return window.Plotly.animate(gd, { data: [...data, ...still.map(() => ({}))], traces: [...idx, ...still] }, QUICK)
      .then(then, then).then(() => fit(gd, idx));
  }

  // An animation does not fit the axes to the new data: the axes of the moved traces that fit their data (autorange,
  // as the figure made them and the student has not zoomed) are fitted again (a cost curve of 50 steps after 300).
  function fit(gd, idx) {
    const fitted = {};
    idx.forEach((i) => {
      const t = gd._fullData[i];
      [t.xaxis, t.yaxis].forEach((id) => {
        const name = id.replace(/^([xy])/, "$1axis");
        const ax = gd._fullLayout[name];
        if (ax && ax.autorange === true) fitted[`${name}.autorange`] = true;
      });
    });
    return Object.keys(fitted).length ? window.Plotly.relayout(gd, fitted).catch(() => null) : null;
  }

  // New names (the legend's) of traces idx, where they differ: one restyle
  function rename(gd, idx, names) {
    const renamed = idx.map((i, j) => [i, names[j]]).filter(([i, name]) => name !== undefined && name !== gd.data[i].name);
    return renamed.length
      ? window.Plotly.restyle(gd, { name: renamed.map(([, name]) => name) }, renamed.map(([i]) => i)) : null;
  }

  // Numbers (arrays, deeply) equal to the shown ones to float32 rounding: a picture drawn ahead in float64 shows
  // what the server sends in float32. Relative to each number, so that it holds on a log axis too (a gap of 1e-15).
  function close(a, b) {
    if (Array.isArray(a) || ArrayBuffer.isView(a)) {
      return (Array.isArray(b) || ArrayBuffer.isView(b)) && a.length === b.length
        && Array.prototype.every.call(a, (v, i) => close(v, b[i]));
    }
    if (typeof a === "number" && typeof b === "number") {
      return a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    }
    if (a && typeof a === "object" && b && typeof b === "object") return Object.keys(a).every((k) => close(a[k], b[k]));
    return a === b;
  }
  const sameTag = (a, b) => !!a && !!b && Object.keys(b).every((k) => close(a[k], b[k]));

  // Does the chart already show trace i of payload p? Only after a picture drawn ahead (B.preview) for the settings
  // p was made for: the trace in the same form as shown, with the same name and numbers.
  function shownAhead(gd, p, i) {
    const a = gd.__bridgeAhead, t = p.traces[i].trace, now = gd.data[i];
    if (!a || !a.idx.has(Number(i)) || !sameTag(a.tag, p.tag) || !now) return false;
    if (shownTrace(gd, p, i).form !== p.traces[i].form || (t.name !== undefined && t.name !== now.name)) return false;
    return NUMBERS.every((k) => (t[k] === undefined ? now[k] === undefined : close(plain(t[k]), now[k])));
  }

  function draw(gd, key, p) {
    const Plotly = window.Plotly;
    hook(gd);
    if (gd.__bridgeBusy) { gd.__bridgeAgain = true; return; }   // one update at a time; the last payload wins
    // a picture drawn ahead of the server (B.preview) stays until a payload for the same settings comes
    if (B.holds && B.holds[key] && B.holds[key](p)) return;
    const mine = gd.__bridge && gd.__bridge.id === p.id ? gd.__bridge : { id: p.id, traces: {}, layout: {} };
    const differ = Object.keys(p.traces).filter((i) => shownTrace(gd, p, i).hash !== p.traces[i].hash);
    // what a picture drawn ahead already shows is not drawn again (a new run in a 3D scene is a redraw of it)
    const ahead = differ.filter((i) => shownAhead(gd, p, i));
    ahead.forEach((i) => {
      // the picture stays (the same to far below a pixel); the trace takes the server's numbers, exactly
      const t = p.traces[i].trace;
      NUMBERS.forEach((k) => {
        if (t[k] === undefined) return;
        gd.data[i][k] = plain(t[k]);
        if (gd._fullData[i]) gd._fullData[i][k] = gd.data[i][k];
      });
      mine.traces[i] = { obj: gd.data[i], hash: p.traces[i].hash, look: p.traces[i].look, form: p.traces[i].form };
    });
    const changed = differ.filter((i) => !ahead.includes(i));
    const layoutOwn = mine.layoutObj === gd.layout ? mine.layout : {};
    const relayout = {};
    for (const k of Object.keys(p.layout)) {
      const want = JSON.stringify(p.layout[k] === undefined ? null : p.layout[k]);
      if (layoutOwn[k] === want) continue;
      // a layout key a picture drawn ahead for these settings already shows (the race's cost axes)
      if (gd.__bridgeAhead && sameTag(gd.__bridgeAhead.tag, p.tag) && p.layout[k] !== null
          && close(plain(p.layout[k]), gd.layout[k])) { layoutOwn[k] = want; continue; }
      relayout[k] = p.layout[k] === null ? null : plain(p.layout[k]);
    }
    // the frames this script added, while plotly holds the same data array (a redraw from the spec brings its own)
    const framesHeld = gd.__bridgeFrames && gd.__bridgeFrames.data === gd.data ? gd.__bridgeFrames.hash
      : p.base_frames_hash;
    const newFrames = framesHeld !== p.frames_hash && p.frames;
    if (!changed.length && !Object.keys(relayout).length && !newFrames && !ahead.length) return;

    const idx = changed.map(Number);
    // new data of 2D scatter traces whose look stays: an animation of no duration draws them alone
    const quick = idx.length && !Object.keys(relayout).length &&
      changed.every((i) => p.traces[i].trace.type === "scatter" && gd.data[i].type === "scatter" &&
                           p.traces[i].look === shownTrace(gd, p, i).look);
    const traces = changed.map((i) => plain(p.traces[i].trace));
    gd.__bridgeBusy = true;
    let done;
    if (!idx.length && !Object.keys(relayout).length) {
      done = Promise.resolve();                      // every trace shown already (ahead): at most new frames
    } else if (quick) {
      const data = traces.map((t) => { const o = {}; SWAPPABLE.forEach((k) => { if (k in t) o[k] = t[k]; }); return o; });
      done = animateData(gd, idx, data).then(() => rename(gd, idx, traces.map((t) => t.name)));
    } else {
      const data = gd.data.slice();
      idx.forEach((i, j) => {
        data[i] = traces[j];
        // an optimiser the student hid with a click on the legend stays hidden
        if (gd.data[i].visible === "legendonly" && traces[j].visible === undefined) data[i].visible = "legendonly";
      });
      const layout = Object.assign({}, gd.layout);
      for (const k of Object.keys(relayout)) {
        if (relayout[k] === null) delete layout[k]; else layout[k] = relayout[k];
      }
      done = Plotly.react(gd, data, layout);
    }
    done = done.then(() => {
      if (!newFrames) return null;
      // one at a time, last first: plotly sorts a list of indices as text (10 before 2)
      const held = (gd._transitionData && gd._transitionData._frames) || [];
      for (let i = held.length - 1; i >= 0; i--) Plotly.deleteFrames(gd, [i]);
      return Promise.resolve(Plotly.addFrames(gd, plain(p.frames)))
        .then(() => { gd.__bridgeFrames = { hash: p.frames_hash, data: gd.data }; });
    });
    const settle = () => {
      // remember what is drawn: the objects plotly now holds for the changed traces, and the layout keys
      idx.forEach((i, j) => { mine.traces[i] = { obj: gd.data[i], hash: p.traces[i].hash,
                                                  look: p.traces[i].look, form: p.traces[i].form }; });
      for (const k of Object.keys(p.layout)) layoutOwn[k] = JSON.stringify(p.layout[k] === undefined ? null : p.layout[k]);
      mine.layout = layoutOwn;
      mine.layoutObj = gd.layout;
      if (gd.__bridgeAhead) idx.forEach((i) => gd.__bridgeAhead.idx.delete(i));    // the server's numbers now
      gd.__bridge = mine;
      gd.__bridgeBusy = false;
      B.drawn = (B.drawn || 0) + 1;                  // (read by the browser tests)
      if (gd.__bridgeAgain) { gd.__bridgeAgain = false; scan(); }
      previewNext(gd);
    };
    // a draw that failed is kept for a person reading the console (window.__chartBridge.errors); the next goes on
    done.then(settle, (e) => { (B.errors = B.errors || []).push(String(e.stack).slice(0, 600)); settle(); });
  }

  // the plotly div of the chart keyed `key` (inside Streamlit's element of that key)
  function chartOf(key) {
    const box = document.querySelector(`.st-key-${CSS.escape(key)}`);
    return box && box.querySelector(".js-plotly-plot");
  }

  function scan() {
    const charts = window.__charts || {};
    if (!window.Plotly) return;
    for (const key of Object.keys(charts)) {
      const gd = chartOf(key);
      const p = charts[key];
      const m = gd && gd.layout && gd.layout.meta;
      if (!gd || !gd.data || !m || m.bridge !== p.id) continue;   // the spec it belongs to is not drawn yet
      draw(gd, key, p);
      narrowFit(gd);
    }
  }

  // A phone: a chart whose spec carries layout.meta.narrow = {narrow_px, layout} (or a list of such steps) takes
  // that layout (its panels in one column) while it is narrower than narrow_px (ui/plotly_animation.js), not in the
  // middle of a draw.
  function narrowFit(gd) {
    const n = gd.layout && gd.layout.meta && gd.layout.meta.narrow;
    if (!n || gd.__bridgeBusy) return;
    const done = fitNarrow(gd, Array.isArray(n) ? n : [n]);
    if (done) B[done] = (B[done] || 0) + 1;                   // (read by the browser tests)
  }

  // A picture drawn ahead of the server (ui/slider_preview.js: the runs of the sliders' values while they move,
  // before Streamlit reruns the page): new x, y (z) of the scatter traces idx of the chart of `key`, 2D ones by the
  // same animation, new names (the legend's) where data give them, and the layout keys of `layout` (axis ranges)
  // that differ from the chart's; `tag`: the settings it shows. One draw at a time per chart; while one is under way
  // only the newest waits.
  function preview(key, idx, data, layout, tag) {
    const gd = chartOf(key);
    if (!gd || !gd.data || !gd._fullData || !window.Plotly) return;
    const types = idx.map((i) => gd.data[i] && gd.data[i].type);
    if (!idx.length || !types.every((t) => t === "scatter" || t === "scatter3d")) return;
    hook(gd);
    if (gd.__bridgeBusy) { gd.__bridgePreview = [key, idx, data, layout, tag]; return; }
    gd.__bridgeBusy = true;
    // what is drawn ahead, for which settings (a payload for them need not draw it again)
    gd.__bridgeAhead = tag ? { tag: tag, idx: new Set(idx) } : null;
    // the data without the names, which rename() gives the legend after the draw
    const bare = data.map((d) => { const o = Object.assign({}, d); delete o.name; return o; });
    // 2D paths by the animation; 3D ones (a WebGL scene, which an animation does not draw) by one restyle
    const restyle = () => {
      const update = {};
      Object.keys(bare[0]).forEach((k) => { update[k] = bare.map((d) => d[k]); });
      return window.Plotly.restyle(gd, update, idx).catch(() => null);
    };
    // the layout keys (as "xaxis2.range") whose value differs from what the chart has
    const relayout = {};
    Object.keys(layout || {}).forEach((k) => {
      const now = k.split(".").reduce((o, part) => (o == null ? o : o[part]), gd.layout);
      if (JSON.stringify(now) !== JSON.stringify(layout[k])) relayout[k] = layout[k];
    });
    const drawn = (types.every((t) => t === "scatter") ? animateData(gd, idx, bare) : restyle())
      .then(() => rename(gd, idx, data.map((d) => d.name)))
      .then(() => (Object.keys(relayout).length ? window.Plotly.relayout(gd, relayout) : null))
      .catch(() => null);
    drawn.then(() => {
      gd.__bridgeBusy = false;
      B.previewed = (B.previewed || 0) + 1;          // (read by the browser tests)
      if (!previewNext(gd) && gd.__bridgeAgain) { gd.__bridgeAgain = false; scan(); }
    });
  }
  function previewNext(gd) {
    const next = gd.__bridgePreview;
    gd.__bridgePreview = null;
    if (next) preview(...next);
    return !!next;
  }

  B.scan = scan;
  B.preview = preview;
  B.holds = B.holds || {};
  scan();
  if (!B.observer) {
    let queued = false;
    B.observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; scan(); });
    });
    B.observer.observe(document.body, { childList: true, subtree: true });
  }
})();
