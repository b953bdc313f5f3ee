// The worksheet's print button: shown only where scripts run (the PDF link works without them).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
