// Quiz page behaviour (loaded with defer; CSP allows scripts from 'self' only).
//
// Matching questions arrive as one <select> per left item, which is what the form submits and
// what works without JavaScript. Here the selects are enhanced into tap-to-pair: tap (or focus
// and press Enter/Space on) a left item, then its partner on the right, or the other way round.
// Every item is a <button>, so pairing works by keyboard as well; pairs are listed and can be
// undone. Nothing is dragged.
(function () {
  "use strict";

  function button(text, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.setAttribute("aria-pressed", "false");
    var label = document.createElement("span");
    label.className = "match-text";
    label.textContent = text;
    var badge = document.createElement("span");
    badge.className = "match-badge";
    badge.setAttribute("aria-hidden", "true");
    element.append(badge, label);
    return element;
  }

  function column(label, className) {
    var element = document.createElement("div");
    element.className = "matching-column " + className;
    element.setAttribute("role", "group");
    element.setAttribute("aria-label", label);
    return element;
  }

  function enhance(fieldset) {
    if (fieldset.dataset.enhanced) return;
    var selects = Array.prototype.slice.call(fieldset.querySelectorAll("select"));
    if (!selects.length) return;
    fieldset.dataset.enhanced = "1";
    var text = fieldset.dataset;
    var lefts = selects.map(function (select) {
      var label = fieldset.querySelector('label[for="' + select.id + '"]');
      return label ? label.textContent.trim() : select.name;
    });
    var rights = Array.prototype.filter
      .call(selects[0].options, function (option) { return option.value !== ""; })
      .map(function (option) { return { value: option.value, text: option.textContent.trim() }; });

    var state = { left: null, right: null };
    var hint = document.createElement("p");
    hint.className = "matching-hint muted";
    hint.textContent = text.hint || "";
    if (text.keyHint) {
      // Shown only where a keyboard is likely (app.css: a fine pointer that hovers), not on touch screens.
      var keyHint = document.createElement("span");
      keyHint.className = "keyboard-hint";
      keyHint.textContent = text.keyHint;
      hint.append(keyHint);
    }
    var board = document.createElement("div");
    board.className = "matching-board";
    var leftColumn = column(text.leftLabel || "", "matching-left");
    var rightColumn = column(text.rightLabel || "", "matching-right");
    var leftButtons = lefts.map(function (label, index) {
      var element = button(label, "match-item match-left");
      element.dataset.index = String(index);
      element.addEventListener("click", function () { onLeft(index); });
      leftColumn.appendChild(element);
      return element;
    });
    var rightButtons = rights.map(function (right) {
      var element = button(right.text, "match-item match-right");
      element.dataset.value = right.value;
      element.addEventListener("click", function () { onRight(right.value); });
      rightColumn.appendChild(element);
      return element;
    });
    board.append(leftColumn, rightColumn);
    var pairsTitle = document.createElement("p");
    pairsTitle.className = "matching-pairs-title";
    pairsTitle.textContent = text.pairsLabel || "";
    var pairs = document.createElement("ol");
    pairs.className = "matching-pairs";
    pairs.setAttribute("aria-live", "polite");

    var list = fieldset.querySelector(".matching-selects");
    list.hidden = true;
    selects.forEach(function (select) { select.required = false; });
    list.after(hint, board, pairsTitle, pairs);

    function pairOf(value) {
      for (var index = 0; index < selects.length; index++) {
        if (selects[index].value === value) return index;
      }
      return -1;
    }

    function pair(index, value) {
      var previous = pairOf(value);
      if (previous >= 0) selects[previous].value = "";
      selects[index].value = value;
      selects[index].dispatchEvent(new Event("change", { bubbles: true }));
      state.left = state.right = null;
      render();
      var next = leftButtons.find(function (_element, i) { return selects[i].value === ""; });
      (next || fieldset.form.querySelector('button[type="submit"]')).focus();
    }

    function onLeft(index) {
      if (state.right !== null) return pair(index, state.right);
      state.left = state.left === index ? null : index;
      render();
    }

    function onRight(value) {
      if (state.left !== null) return pair(state.left, value);
      state.right = state.right === value ? null : value;
      render();
    }

    function render() {
      leftButtons.forEach(function (element, index) {
        var paired = selects[index].value !== "";
        element.classList.toggle("is-paired", paired);
        element.setAttribute("aria-pressed", String(state.left === index));
        element.querySelector(".match-badge").textContent = String(index + 1);
      });
      rightButtons.forEach(function (element) {
        var owner = pairOf(element.dataset.value);
        element.classList.toggle("is-paired", owner >= 0);
        element.setAttribute("aria-pressed", String(state.right === element.dataset.value));
        element.querySelector(".match-badge").textContent = owner >= 0 ? String(owner + 1) : "";
      });
      pairs.replaceChildren();
      selects.forEach(function (select, index) {
        if (select.value === "") return;
        var item = document.createElement("li");
        var right = rights.find(function (r) { return r.value === select.value; });
        var label = document.createElement("span");
        label.textContent = lefts[index] + " ⟷ " + (right ? right.text : "");
        var undo = document.createElement("button");
        undo.type = "button";
        undo.className = "secondary outline match-undo";
        undo.textContent = text.undo || "×";
        undo.addEventListener("click", function () {
          select.value = "";
          render();
          leftButtons[index].focus();
        });
        item.append(label, undo);
        pairs.appendChild(item);
      });
    }

    render();
  }

  function scan(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-matching]")) enhance(scope);
    Array.prototype.forEach.call(scope.querySelectorAll("[data-matching]"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.detail.elt); });
  // After feedback is swapped in, move focus to the verdict so it is read out and the
  // “next question” button is one Tab away.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target && event.detail.target.isConnected ? event.detail.target : document;
    var verdict = document.querySelector("#quiz-step [data-autofocus]");
    if (verdict) verdict.focus();
    else {
      var first = (target.querySelector ? target : document).querySelector("#quiz-step input[type=text], #quiz-step .match-item, #quiz-step input[type=radio]");
      if (first) first.focus();
    }
  });
})();
