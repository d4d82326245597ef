// The Cost basin's point editor (ui/point_editor.py): the data as points in two lanes, label 1 above and label 0
// below, on the feature's axis. Click a lane to add a point there; drag a point to move it (into the other lane to
// change its label); shift-click or right-click it to delete it. Keyboard: Tab to a point, ←/→ move it (Shift:
// ten times further), ↑/↓ set its label, Delete or Backspace removes it; the two buttons add a point.
//
// Contract: data = {points: [[x, label], ...], lo, hi, feature, label, max, rev, seq, base}. Every finished edit
// sends the whole list once, as the trigger value "edit" = {rev, seq, points}: rev is the drawing's, seq one more
// than the last edit sent or taken (data.seq), so the newest list is known even when edits come faster than the
// page reruns (each list holds the edits before it). Until the script has taken the last list sent (data.seq
// reaches it), a redraw keeps showing that list, not the data of an earlier edit, so the next edit builds on it;
// unless the list was made on a drawing older than data.base (new data from elsewhere: a file, the table), which
// the script no longer takes. The points go at full precision (Number(x.toPrecision(7)) made 20 timestamps
// 1700000000 + 30k into 2 values); only a point placed or moved here is rounded, to a thousandth of the axis.
// Python checks the list (finite, within [lo, hi], at most max, labels 0/1) and answers with new data (a new rev),
// from which this script redraws. Names from the data are set with textContent only, never parsed as HTML.

const NS = "http://www.w3.org/2000/svg";
// The drawing's width W follows the editor's own width below 640 px (a phone), so that its text and points keep
// their size there and only the feature's axis gets shorter (with a fixed 640-wide drawing they shrank to half).
const WIDE = 640, NARROWEST = 300, H = 210, LEFT = 58, Y1 = 52, Y0 = 122, LANE = 30, AXIS = 168;
const memory = new WeakMap();     // per mounted editor: which point had the focus, across redraws

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function ticks(lo, hi) {
  const raw = (hi - lo) / 6, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(f => f * mag).find(s => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data || !Array.isArray(data.points)) return;
  const lo = Number(data.lo), hi = Number(data.hi), max = Number(data.max);
  const kept = memory.get(parentElement) || {};
  memory.set(parentElement, kept);
  const abort = new AbortController();
  const on = (node, type, fn) => node.addEventListener(type, fn, { signal: abort.signal });

  const pending = kept.sent && kept.seq > (Number(data.seq) || 0) && kept.sentOn >= Number(data.base);
  let points = pending ? kept.sent.map(p => ({ ...p }))
                       : data.points.map(([x, y]) => ({ x: Number(x), y: y ? 1 : 0 }));
  let timer = null;
  // A placed or moved point is rounded to STEP, about a thousandth of the axis (a pixel is worth more than that).
  const STEP = Math.pow(10, Math.floor(Math.log10((hi - lo) / 1000)));
  const DECIMALS = Math.max(0, -Math.round(Math.log10(STEP)));
  // Numbers shown (ticks, a point's name) keep the digits that tell values a thousandth of the axis apart.
  const size = Math.max(Math.abs(lo), Math.abs(hi)) / (hi - lo);      // 2.5e6 for timestamps 1.7e9 on a 690-long axis
  const DIGITS = Math.min(15, Math.max(4, Math.ceil(Math.log10(size)) + 4));
  const fmt = v => String(Number(v.toPrecision(DIGITS)));

  parentElement.querySelectorAll(".pe-root").forEach(n => n.remove());
  const root = document.createElement("div");
  root.className = "pe-root";
  parentElement.appendChild(root);

  const bar = document.createElement("div");
  bar.className = "pe-bar";
  root.appendChild(bar);
  const addButtons = [1, 0].map(label => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "pe-add";
    b.textContent = `Add a point labelled ${label}`;
    b.dataset.label = String(label);
    bar.appendChild(b);
    return b;
  });

  const W = Math.round(Math.min(WIDE, Math.max(NARROWEST, root.clientWidth || WIDE))), RIGHT = W - 18;
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "pe-svg", role: "group",
                          "aria-label": "The data: label 1 points in the upper lane, label 0 points in the lower "
                                        + "lane, along the feature's axis" }, root);
  const scaleX = x => LEFT + (x - lo) / (hi - lo) * (RIGHT - LEFT);
  const valueX = px => lo + (px - LEFT) / (RIGHT - LEFT) * (hi - lo);
  const laneY = y => (y ? Y1 : Y0);
  for (const [y, cls] of [[1, "pe-lane1"], [0, "pe-lane0"]]) {
    el("rect", { x: LEFT, y: laneY(y) - LANE, width: RIGHT - LEFT, height: 2 * LANE, class: `pe-lane ${cls}`,
                 "data-lane": y }, svg);
    const t = el("text", { x: LEFT - 8, y: laneY(y) + 5, class: "pe-lane-label", "text-anchor": "end" }, svg);
    t.textContent = `${y}`;
  }
  const laneName = el("text", { x: 4, y: 12, class: "pe-axis-title" }, svg);
  laneName.textContent = String(data.label ?? "label");
  el("line", { x1: LEFT, x2: RIGHT, y1: AXIS, y2: AXIS, class: "pe-axis" }, svg);
  for (const t of ticks(lo, hi)) {
    el("line", { x1: scaleX(t), x2: scaleX(t), y1: AXIS, y2: AXIS + 5, class: "pe-axis" }, svg);
    const label = el("text", { x: scaleX(t), y: AXIS + 18, class: "pe-tick", "text-anchor": "middle" }, svg);
    label.textContent = fmt(t);
  }
  const axisTitle = el("text", { x: (LEFT + RIGHT) / 2, y: H - 4, class: "pe-axis-title", "text-anchor": "middle" },
                       svg);
  axisTitle.textContent = String(data.feature ?? "x");
  const layer = el("g", {}, svg);

  const status = document.createElement("p");
  status.className = "pe-status";
  status.setAttribute("aria-live", "polite");
  root.appendChild(status);

  function say(extra) {
    const ones = points.filter(p => p.y === 1).length;
    status.textContent = `${points.length} points, ${ones} labelled 1.` + (extra ? " " + extra : "");
  }

  function draw(focus) {
    layer.replaceChildren();
    points.forEach((p, i) => {
      const c = el("circle", { cx: scaleX(p.x), cy: laneY(p.y), r: 7, tabindex: 0, role: "button",
                               class: p.y ? "pe-pt pe-one" : "pe-pt pe-zero", "data-i": i,
                               "aria-label": `Point ${i + 1}: x = ${fmt(p.x)}, label ${p.y}. `
                                             + "Arrow keys move it, Delete removes it." }, layer);
      if (i === focus) c.focus({ preventScroll: true });
    });
    addButtons.forEach(b => { b.disabled = points.length >= max; });
    say(points.length >= max ? `That is the most the editor takes (${max}).` : "");
  }

  function commit(focus) {
    clearTimeout(timer);
    kept.focus = focus;
    say("Updating the basin…");
    kept.seq = Math.max(kept.seq || 0, Number(data.seq) || 0) + 1;
    kept.sent = points.map(p => ({ ...p }));
    kept.sentOn = Number(data.rev);
    setTriggerValue("edit", { rev: data.rev, seq: kept.seq, points: points.map(p => [p.x, p.y]) });
  }

  function later(focus) {           // arrow keys: one update after the keys stop
    clearTimeout(timer);
    timer = setTimeout(() => commit(focus), 450);
  }

  function clampX(x) { return Math.min(hi, Math.max(lo, x)); }
  function snap(x) {                // a placed or moved point: rounded to STEP, on the axis
    const v = Math.round(x / STEP) * STEP;
    return clampX(DECIMALS <= 20 ? Number(v.toFixed(DECIMALS)) : Number(v.toPrecision(15)));
  }

  function toSvg(e) {
    const pt = svg.createSVGPoint();
    pt.x = e.clientX; pt.y = e.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }

  let drag = null;
  on(svg, "contextmenu", e => { if (e.target.classList.contains("pe-pt")) e.preventDefault(); });
  on(svg, "pointerdown", e => {
    const target = e.target;
    const p = toSvg(e);
    if (target.classList.contains("pe-pt")) {
      const i = Number(target.dataset.i);
      if (e.shiftKey || e.button === 2) {            // delete
        e.preventDefault();
        points.splice(i, 1);
        draw();
        commit(null);
        return;
      }
      drag = { i, node: target, sx: e.clientX, sy: e.clientY, moved: false };
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
      return;
    }
    if (e.button !== 0 || p.x < LEFT - 4 || p.x > RIGHT + 4 || p.y > Y0 + LANE || p.y < Y1 - LANE) return;
    if (points.length >= max) { say(`That is the most the editor takes (${max}).`); return; }
    points.push({ x: snap(valueX(p.x)), y: p.y < (Y1 + Y0) / 2 ? 1 : 0 });
    draw();
    commit(null);
  });
  on(svg, "pointermove", e => {
    if (!drag) return;
    if (Math.hypot(e.clientX - drag.sx, e.clientY - drag.sy) > 3) drag.moved = true;
    if (!drag.moved) return;
    const p = toSvg(e), pt = points[drag.i];
    pt.x = snap(valueX(p.x));
    pt.y = p.y < (Y1 + Y0) / 2 ? 1 : 0;
    drag.node.setAttribute("cx", scaleX(pt.x));
    drag.node.setAttribute("cy", laneY(pt.y));
    drag.node.setAttribute("class", pt.y ? "pe-pt pe-one pe-dragging" : "pe-pt pe-zero pe-dragging");
  });
  const end = e => {
    if (!drag) return;
    const { i, moved } = drag;
    drag = null;
    if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
    if (moved) { draw(); commit(null); } else { layer.querySelector(`[data-i="${i}"]`)?.focus(); }
  };
  on(svg, "pointerup", end);
  on(svg, "pointercancel", end);
  on(svg, "keydown", e => {
    const target = e.target;
    if (!target.classList || !target.classList.contains("pe-pt")) return;
    const i = Number(target.dataset.i), pt = points[i], step = (hi - lo) / 100 * (e.shiftKey ? 10 : 1);
    if (e.key === "Delete" || e.key === "Backspace") {
      points.splice(i, 1);
      draw(Math.min(i, points.length - 1));
      commit(Math.min(i, points.length - 1));
    } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      pt.x = snap(pt.x + (e.key === "ArrowLeft" ? -step : step));
      draw(i);
      later(i);
    } else if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      pt.y = e.key === "ArrowUp" ? 1 : 0;
      draw(i);
      later(i);
    } else {
      return;
    }
    e.preventDefault();
  });
  for (const b of addButtons) {
    on(b, "click", () => {
      if (points.length >= max) return;
      const x = snap((lo + hi) / 2 + (hi - lo) * 0.01 * (points.length % 7 - 3));
      points.push({ x, y: Number(b.dataset.label) });
      draw(points.length - 1);
      commit(points.length - 1);
    });
  }

  draw(kept.focus ?? undefined);   // after a keyboard edit, the same point keeps the focus
  kept.focus = null;
  say(pending ? "Updating the basin…"
              : "Click a lane to add a point; drag a point to move it (into the other lane to change its label); "
                + "shift-click or right-click a point to delete it.");
  return () => { clearTimeout(timer); abort.abort(); };
}
