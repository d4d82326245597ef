// Basin's bridge between Streamlit and the basin figure (runs in the page; emitted by ui/basin_bridge.py).
// window.__basinToken is the learning rate chosen in Streamlit; the figure holds every rate's run, and this
// script makes only that run visible, with one Plotly.update: the figure is not re-sent or remounted, so the
// 3D camera stays where the student turned it. It also remembers the camera for the next real remount
// (another dataset, start point ...) and makes the Step button advance the animation by one frame.
// The contract with the figure (core/figures/basin.py) is layout.meta.basin alone: which trace plays which
// role (trail3d, trailmap, cost, curve, ball3d, ballmap, ballcost), the number of frames, and the action of the
// Step button (step_button); plotly's public events and layout only, never its private _fullLayout.
(() => {
  const B = (window.__basinBridge = window.__basinBridge || { camera: null });
  // plotly.js is loaded lazily with the first chart, so look it up at use time, never at start.

  function shownRun(gd, m) {
    return m.trail3d.findIndex((i) => gd.data[i] && gd.data[i].visible !== false);
  }

  function step(gd, m) {
    const Plotly = window.Plotly;
    const next = Math.min((gd.__basinFrame || 0) + 1, m.frames - 1);
    Plotly.animate(gd, [String(next)], { frame: { duration: 0, redraw: true }, transition: { duration: 0 },
                                          mode: "immediate" });
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
    gd.on("plotly_animatingframe", (e) => { gd.__basinFrame = Number(e.name); });  // Play, the slider, Step
    // Streamlit's chart component may redraw the figure from its spec (Plotly.react) at any time, e.g. on a
    // resize; that would show the spec's default run again, so re-apply the chosen run after every plot.
    gd.on("plotly_afterplot", () => show(gd));
    gd.on("plotly_buttonclicked", (e) => {
      const b = e && e.button;
      if (b && b.method === "skip" && b.args && b.args[0] === m.step_button) step(gd, m);
    });
    if (B.camera) Plotly.relayout(gd, { "scene.camera": B.camera });
  }

  function show(gd) {
    const m = gd.layout && gd.layout.meta && gd.layout.meta.basin;
    if (!m || !gd.data || !window.Plotly) return;
    const Plotly = window.Plotly;
    hook(gd, m);
    if (m.mode !== "one") return;
    const r = m.tokens.indexOf(window.__basinToken);
    if (r < 0 || shownRun(gd, m) === r) return;
    const perRun = [m.trail3d, m.trailmap, m.cost, m.curve];
    const idx = [], visible = [], size = [];
    perRun.forEach((list) => list.forEach((i, k) => {
      idx.push(i); visible.push(k === r);
      size.push(gd.data[i].marker && gd.data[i].marker.size !== undefined ? gd.data[i].marker.size : 6);
    }));
    const sizes = (s) => m.tokens.map((_, k) => (k === r ? s : 0));
    idx.push(m.ball3d, m.ballmap, m.ballcost);
    visible.push(true, true, true);
    size.push(sizes(m.size3d), sizes(m.size2d), sizes(m.size2d));
    const start = performance.now();          // timings for benchmarks/basin_latency.py
    Plotly.restyle(gd, { visible: visible, "marker.size": size }, idx);
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
