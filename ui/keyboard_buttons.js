// plotly draws a chart's buttons (its updatemenus: ▶ Play, Step ▶, linear J / log J, ▶ Replay both balls, the
// optimiser race's iterations / epochs) as SVG groups that take no keys: a student without a pointer could not
// press them. Each becomes a button for the keyboard and for screen readers: reached with Tab, named by its label,
// pressed with Enter or Space (a click, as plotly listens for). Once per page; plotly draws its buttons again after
// a redraw, so new ones are found as they appear.
(() => {
  if (window.__keyButtons) return;
  window.__keyButtons = { pressed: 0 };                      // (read by the browser tests)
  const style = document.createElement("style");
  style.textContent = ".updatemenu-button:focus-visible { outline: 2px solid #1c6b9c; outline-offset: 2px; }";
  document.head.appendChild(style);

  function ready(button) {
    const label = button.querySelector("text");
    if (label && button.getAttribute("aria-label") !== label.textContent) {
      button.setAttribute("aria-label", label.textContent);
    }
    if (button.__keyButton) return;
    button.__keyButton = true;
    button.setAttribute("tabindex", "0");
    button.setAttribute("role", "button");
    button.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") return;
      e.preventDefault();
      e.stopPropagation();                                   // not the chart's own keys (ui/basin_bridge.js)
      window.__keyButtons.pressed += 1;
      button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    });
  }

  let queued = false;
  function scan() {
    queued = false;
    document.querySelectorAll(".updatemenu-button").forEach(ready);
  }
  new MutationObserver(() => {                               // at most once a frame, however busy the page
    if (!queued) { queued = true; requestAnimationFrame(scan); }
  }).observe(document.body, { childList: true, subtree: true });
  scan();
})();
