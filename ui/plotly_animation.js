// What plotly leaves undone in a chart whose other traces stay, when its animation (of no duration, drawing only the
// traces it is given) or a restyle draws new runs: shared by the scripts that draw new runs into a chart the browser
// keeps (ui/basin_bridge.js, ui/chart_bridge.js), which are emitted with it.
window.__plotlyAnimation = window.__plotlyAnimation || (() => {
  // plotly's animate draws the given traces and removes, from each 2D panel, the layers of trace types it cannot
  // animate (a heatmap, a contour of J: unchanged). They are taken out while it draws and put back as they were.
  function keepLayers(gd) {
    const kept = Array.from(gd.querySelectorAll(".cartesianlayer .subplot g.mlayer:not(.scatterlayer)"),
                            (g) => [g, g.parentNode, g.nextSibling]);
    kept.forEach(([g]) => g.remove());
    // put back last first, so each layer's next sibling is in place again when it goes back before it
    queueMicrotask(() => kept.slice().reverse().forEach(([g, parent, next]) => {
      if (!g.isConnected) parent.insertBefore(g, next && next.parentNode === parent ? next : null);
    }));
  }

  // plotly's animate computes every trace's calcdata again but draws only the animated traces: the others lose
  // the link to their group on the page (calcdata[0].node3), and a click that selects a point (the Losses map's
  // click lattice) then fails in plotly's styling of the selection. Their groups are unchanged: linked again.
  const nodesOf = (gd) => (gd.calcdata || []).map((cd) => cd && cd[0] && cd[0].node3);
  function relink(gd, nodes) {
    (gd.calcdata || []).forEach((cd, i) => { if (cd && cd[0] && !cd[0].node3 && nodes[i]) cd[0].node3 = nodes[i]; });
  }

  // plotly rebuilds every trace of a 3D scene on any restyle, even one of another trace: a surface's mesh and the
  // contour lines on it are computed and sent to WebGL again, about half of what a new run costs to draw. Each
  // surface's trace object (in every scene of the chart) is told to skip that when nothing of the surface changed:
  // the same input arrays (a new surface, or a redraw from the spec, brings new ones), the same scene scale, the same
  // other settings.
  function keepSurfaces(gd) {
    const L = gd._fullLayout;
    if (!L) return;
    for (const id of Object.keys(L).filter((k) => /^scene\d*$/.test(k))) {
      const scene = L[id] && L[id]._scene;
      if (!scene || !scene.traces) continue;
      for (const t of Object.values(scene.traces)) {
        if (!t || !t.data || t.data.type !== "surface" || t.__keeps) continue;
        const update = t.update.bind(t);
        const keyOf = (data) => {
          const input = data._input || {};
          const rest = JSON.stringify(input, function (k, v) {      // the arrays by identity, the rest by value
            return this === input && (k === "x" || k === "y" || k === "z") ? undefined : v;
          });
          return [input.x, input.y, input.z, (scene.dataScale || []).join(), rest, data.visible];
        };
        t.__keeps = true;
        t.__keepKey = keyOf(t.data);                  // what it was built from last
        t.update = (data) => {
          const key = keyOf(data);
          const last = t.__keepKey;
          t.__keepKey = key;
          if (last && key.every((v, i) => v === last[i])) { t.data = data; return; }
          t.__builds = (t.__builds || 0) + 1;       // (read by the browser tests)
          update(data);
        };
      }
    }
  }

  // A phone: a figure's narrow layout (a relayout of layout paths: its panels in one column) while the chart is
  // narrower than narrowPx, again after every draw from a spec (which brings the wide layout back); the values it
  // replaces are kept, so that a chart that grows past narrowPx (a phone turned, a window widened, the sidebar
  // closed) gets its wide layout back. The same height: Streamlit sizes the chart's box from the spec.
  // `narrow` may also be a list of steps, {layout, narrow_px} (while the chart is narrower than narrow_px) or
  // {layout, viewport_px} (while the window is narrower than viewport_px: a phone); the steps that hold are applied
  // together, a later one's value of a path over an earlier one's.
  // Returns "narrowed", "widened" or null (nothing to do).
  const layoutValue = (layout, path) => path.split(/[.[\]]+/).filter(Boolean)
    .reduce((o, k) => (o == null ? undefined : o[k]), layout);
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  function fitNarrow(gd, narrow, narrowPx) {
    if (!narrow || !window.Plotly) return null;
    const steps = Array.isArray(narrow) ? narrow : [{ layout: narrow, narrow_px: narrowPx }];
    const width = gd.getBoundingClientRect().width;
    const holds = (s) => (s.viewport_px ? window.innerWidth < s.viewport_px : width < s.narrow_px);
    const want = {};
    steps.forEach((s) => { if (s.layout && holds(s)) Object.assign(want, s.layout); });
    const keys = [...new Set(steps.flatMap((s) => Object.keys(s.layout || {})))];
    const narrowValue = (k, v) => steps.some((s) => s.layout && k in s.layout && same(s.layout[k], v));
    const back = gd.__narrowBack || {};
    const update = {};
    let narrowed = false;
    keys.forEach((k) => {
      const now = layoutValue(gd.layout, k);
      if (k in want) {
        if (same(now, want[k])) return;
        // the wide value: the one shown now, unless it is a narrow one (a draw that copied the layout it showed,
        // with only some paths set anew; another step's value)
        if (!(k in back && narrowValue(k, now))) back[k] = Array.isArray(now) ? now.slice() : now === undefined ? null : now;
        update[k] = want[k];
        narrowed = true;
      } else if (k in back) {
        if (!same(now, back[k])) update[k] = back[k];     // null: back to plotly's own
        delete back[k];
      }
    });
    gd.__narrowBack = back;
    if (!Object.keys(update).length) return null;
    const sig = JSON.stringify(update);
    if (gd.__narrowTried === gd.layout && gd.__narrowSig === sig) return null;   // never a loop of relayouts
    gd.__narrowTried = gd.layout;
    gd.__narrowSig = sig;
    window.Plotly.relayout(gd, update).catch(() => null);
    return narrowed ? "narrowed" : "widened";
  }

  return { keepLayers, nodesOf, relink, keepSurfaces, fitNarrow };
})();
