// What plotly's animate (an animation of no duration that draws only the traces it is given) leaves undone in a
// chart whose other traces stay: shared by the scripts that draw new runs into a chart the browser keeps
// (ui/basin_bridge.js, ui/chart_bridge.js), which are emitted with it.
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

  return { keepLayers, nodesOf, relink };
})();
