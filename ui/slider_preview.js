// Pictures drawn ahead of the server while a slider moves. Streamlit reruns a page only when a slider is let go (or
// a key pressed), and its answer then takes a round trip; a page whose runs can be computed in the browser registers
// a view here (ui/losses_preview.js, ui/race_preview.js), and its kept charts (ui/chart_bridge.js) follow the thumb:
// on each move of a focused thumb, at most once per frame, the view computes the pictures of the sliders' values
// and window.__chartBridge.preview draws them. The rerun's charts then replace them; a payload made for other
// settings than the sliders show (its tag) is held back while a picture ahead of it shows, so a late answer for a
// value the thumb has left does not pull the picture back.
// A view: {sliders: [widget keys], options: {key: [values]} (a select slider's input holds the index of its
// option), charts: [keys of the charts it draws into], draw(settings) -> [{key, idx, data, layout}] or null}.
(() => {
  const SP = (window.__sliderPreview = window.__sliderPreview || { views: {} });
  const HOLD_MS = 10000;            // a picture ahead of the server is held at most this long after it was drawn

  // The sliders' values {key: value} as their thumbs show them, or null when one is not on the page
  function thumbs(view) {
    const out = {};
    for (const k of view.sliders) {
      const input = document.querySelector(`.st-key-${CSS.escape(k)} input[type=range]`);
      if (!input || input.value === "") return null;
      let v = Number(input.value);
      if (!Number.isFinite(v)) return null;
      const options = view.options && view.options[k];
      if (options) {
        if (!Number.isInteger(v) || v < 0 || v >= options.length) return null;
        v = options[v];
      }
      out[k] = v;
    }
    return out;
  }
  const same = (view, a, b) => !!a && !!b && view.sliders.every(
    (k) => typeof b[k] === "number" && Math.abs(a[k] - b[k]) <= 1e-9 * Math.max(1, Math.abs(b[k])));
  const mine = (view, el) => !!el && !!el.closest && view.sliders.some((k) => el.closest(`.st-key-${CSS.escape(k)}`));

  function draw(name) {
    const view = SP.views[name], B = window.__chartBridge, t = view && thumbs(view);
    if (!t || !B || !B.preview) return;
    const pictures = view.draw(t);
    if (!pictures || !pictures.length) return;
    view.ahead = { settings: t, at: performance.now() };
    pictures.forEach((p) => B.preview(p.key, p.idx, p.data, p.layout, t));
  }

  // A payload is held back while a picture ahead of it shows other settings than it was made for.
  function holds(name, p) {
    const view = SP.views[name], a = view && view.ahead;
    if (!a || performance.now() - a.at > HOLD_MS) return false;
    const t = thumbs(view);
    return !!t && !same(view, t, p.tag);
  }

  SP.register = (name, view) => {
    const old = SP.views[name];
    if (old && old.ahead) view.ahead = old.ahead;         // a picture drawn before this rerun still holds
    SP.views[name] = view;
    const CB = (window.__chartBridge = window.__chartBridge || {});
    CB.holds = CB.holds || {};
    view.charts.forEach((key) => { CB.holds[key] = (p) => holds(name, p); });
  };
  SP.thumbs = (name) => (SP.views[name] ? thumbs(SP.views[name]) : null);     // (read by the browser tests)

  if (!SP.observer) {
    const queued = new Set();
    // a thumb the student moves (it has the focus, by key or pointer): its view draws once per frame at most
    SP.observer = new MutationObserver((records) => {
      const focus = document.activeElement;
      for (const [name, view] of Object.entries(SP.views)) {
        if (queued.has(name) || !mine(view, focus)) continue;
        if (!records.some((r) => r.target.matches && r.target.matches("input[type=range]") && mine(view, r.target))) continue;
        queued.add(name);
        requestAnimationFrame(() => { queued.delete(name); draw(name); });
      }
    });
    SP.observer.observe(document.body, { attributes: true, attributeFilter: ["value"], subtree: true });
  }
})();
