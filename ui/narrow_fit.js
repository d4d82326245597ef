// The projector view's charts on a phone (core/figures/projector.py): every chart that no bridge script draws into
// (ui/chart_bridge.js fits its own) takes the steps of its narrow layout, layout.meta.narrow, that hold at its
// width and the window's (ui/plotly_animation.js), again after every draw and when the window changes size.
(() => {
  const N = (window.__narrowFit = window.__narrowFit || {});
  const { fitNarrow } = window.__plotlyAnimation;

  function fit(gd) {
    const m = gd.layout && gd.layout.meta;
    if (!m || !m.narrow || m.bridge) return;
    const done = fitNarrow(gd, Array.isArray(m.narrow) ? m.narrow : [m.narrow]);
    if (done) N[done] = (N[done] || 0) + 1;                   // (read by the browser tests)
  }

  // new charts (every chart after a resize of the window): a chart already found is fitted after each of its draws,
  // so that a page's changes (an animation's frames) do not measure every chart again
  function scan(all) {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach((gd) => {
      if (!gd.on || !gd.layout) return;                       // not drawn yet: the next change of the page
      if (gd.__narrowHooked && !all) return;
      if (!gd.__narrowHooked) {
        gd.__narrowHooked = true;
        gd.on("plotly_afterplot", () => queueMicrotask(() => fit(gd)));
      }
      fit(gd);
    });
  }

  N.scan = scan;
  scan(true);
  if (!N.observer) {
    let queued = null;
    const later = (all) => {
      if (queued !== null) { queued = queued || all; return; }
      queued = all;
      requestAnimationFrame(() => { const both = queued; queued = null; scan(both); });
    };
    N.observer = new MutationObserver(() => later(false));
    N.observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", () => later(true));
  }
})();
