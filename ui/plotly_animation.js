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
  // Returns "narrowed", "widened" or null (nothing to do).
  const layoutValue = (layout, path) => path.split(/[.[\]]+/).filter(Boolean)
    .reduce((o, k) => (o == null ? undefined : o[k]), layout);
  function fitNarrow(gd, narrow, narrowPx) {
    if (!narrow || !window.Plotly) return null;
    const keys = Object.keys(narrow);
    const isNarrow = (k) => JSON.stringify(layoutValue(gd.layout, k) ?? null) === JSON.stringify(narrow[k]);
    const narrowNow = keys.every(isNarrow);
    const wide = gd.getBoundingClientRect().width >= narrowPx;
    if (!narrowNow && !wide) {
      if (gd.__narrowTried === gd.layout) return null;        // once per layout: never a loop of relayouts
      gd.__narrowTried = gd.layout;
      // the wide value of each key: the one shown now, unless it is already the narrow one (a draw that copied
      // the layout it showed, with only some keys set anew)
      const back = gd.__narrowBack || {};
      keys.forEach((k) => {
        if (isNarrow(k) && k in back) return;
        const v = layoutValue(gd.layout, k);
        back[k] = Array.isArray(v) ? v.slice() : v === undefined ? null : v;   // null: back to plotly's own
      });
      gd.__narrowBack = back;
      window.Plotly.relayout(gd, narrow).catch(() => null);
      return "narrowed";
    }
    if (narrowNow && wide && gd.__narrowBack) {
      const back = gd.__narrowBack;
      gd.__narrowBack = null;
      gd.__narrowTried = null;
      window.Plotly.relayout(gd, back).catch(() => null);
      return "widened";
    }
    return null;
  }

  return { keepLayers, nodesOf, relink, keepSurfaces, fitNarrow };
})();
