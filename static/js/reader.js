// On wide screens the outline is a sidebar, so its <details> wrapper must be open; on phones
// it stays a collapsible 目录. CSS (::details-content) does this in current browsers; this
// covers the others.
(function () {
  var wide = window.matchMedia("(min-width: 900px)");
  function sync() {
    document.querySelectorAll(".reader-side .outline-toggle").forEach(function (details) {
      if (wide.matches) details.open = true;
    });
  }
  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSettle", sync);
  wide.addEventListener("change", sync);
})();
