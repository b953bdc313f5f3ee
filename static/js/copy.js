// “复制链接”: copies the text of the field a [data-copy] button names (loaded with defer; CSP allows
// scripts from 'self' only). Where the clipboard cannot be written (an older phone browser, a page
// not served over HTTPS) the field's text is selected instead, for the learner's own “copy”.
// The buttons are rendered hidden: without this script the field alone stays, its text selectable.
(function () {
  "use strict";

  function select(field) {
    field.focus();
    field.select();
    if (field.setSelectionRange) field.setSelectionRange(0, field.value.length);
  }

  function say(button, text) {
    var status = document.getElementById(button.dataset.copyStatus || "");
    if (status) status.textContent = text;
  }

  function copy(button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    var fallback = function () {
      select(field);
      say(button, button.dataset.copySelected || "已选中链接，请长按复制。");
    };
    if (!navigator.clipboard || !window.isSecureContext) {
      fallback();
      return;
    }
    navigator.clipboard.writeText(field.value).then(function () {
      say(button, button.dataset.copyDone || "已复制。");
    }, fallback);
  }

  function ready() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
