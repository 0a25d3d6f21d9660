// Console helpers. htmx sends the CSRF header from <body hx-headers>; this adds
// keyboard shortcuts declared as data-key="a" on buttons and links.
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
  const el = document.querySelector(`[data-key="${CSS.escape(e.key)}"]`);
  if (el) { e.preventDefault(); el.click(); }
});
// Print buttons (data-print): inline onclick handlers are blocked by the CSP.
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
