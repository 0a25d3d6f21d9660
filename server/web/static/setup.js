// Setup pages: confirm destructive actions, and show only the schedule fields
// of the chosen type (without JavaScript every field stays visible).
document.addEventListener("submit", (e) => {
  const form = e.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
function syncScheduleFields(root) {
  const select = root.querySelector("select[name=type][data-schedule]");
  if (!select) return;
  root.querySelectorAll("[data-types]").forEach((el) => {
    const on = el.dataset.types.split(" ").includes(select.value);
    el.hidden = !on;
    el.querySelectorAll("input, textarea, select").forEach((i) => { i.disabled = !on; });
  });
}
document.addEventListener("change", (e) => {
  if (e.target.matches("select[name=type][data-schedule]")) syncScheduleFields(e.target.form);
});
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("form").forEach(syncScheduleFields));
document.addEventListener("htmx:afterSwap", (e) => e.target.querySelectorAll("form").forEach(syncScheduleFields));
// "Add a location" opens its <details> form (was an inline onclick, which the CSP blocks).
document.addEventListener("click", (e) => {
  const link = e.target.closest("[data-open]");
  const target = link && document.getElementById(link.dataset.open);
  if (target) target.open = true;
});
