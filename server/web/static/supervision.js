// Supervision pages: show a refused htmx action (4xx with the console error
// page) as a message above the review item instead of silently doing nothing.
document.addEventListener("htmx:beforeSwap", (e) => {
  const xhr = e.detail.xhr;
  if (!xhr || xhr.status < 400) return;
  const flash = document.getElementById("flash");
  if (!flash) return;
  const doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
  const msg = doc.querySelector("main p");
  flash.textContent = msg ? msg.textContent : String(xhr.status);
  e.detail.shouldSwap = false;
});
document.addEventListener("htmx:afterSwap", (e) => {
  const flash = document.getElementById("flash");
  if (flash && e.detail.xhr && e.detail.xhr.status < 400) flash.textContent = "";
});
