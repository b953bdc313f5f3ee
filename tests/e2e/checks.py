"""Accessibility checks for any page an e2e test has open: `assert_accessible(page)`.

Three checks, each also callable alone:

- `assert_tap_targets(page)`: every visible interactive element is at least 44×44 CSS px (the house rule,
  WCAG 2.5.5's size). Measured with getBoundingClientRect on: `a[href]`, `button`, `input` (not hidden),
  `select`, `textarea`, `summary`, `[role=button]`, and the labels of radio buttons and checkboxes, which
  are what a thumb hits: a radio or checkbox with a label is measured as its label (or label and box
  together when the box sits outside it), one without a label as the box itself.
  Exempt, and only these:
    * WCAG 2.5.8's inline exception, read narrowly: a link whose computed `display` is `inline` and whose
      nearest block ancestor holds at least INLINE_TEXT_MIN characters of text outside any interactive
      element, i.e. a link inside a sentence, whose height the line of text around it sets. A link that
      stands alone or beside a few characters (「原文 · 标题」, a breadcrumb) is not exempt.
    * elements no one can see or hit: `display: none`, `visibility: hidden`, zero opacity, inside a closed
      `<details>`, or at most 1 px on a side (the `.visually-hidden` pattern).
- `assert_no_letter_column(page)`: no button, link, summary or radio/checkbox label shows its text one or
  two characters per line. The lines are counted from the boxes of the text's characters (Range
  rectangles): it fails when the text is on two or more lines and either has at most four characters
  (a short label must never wrap) or fewer than three characters per line on average.
- `assert_axe_clean(page)`: axe-core (installed from npm into var/node, never fetched from a CDN) is
  evaluated in the page through the DevTools protocol, which the page's Content-Security-Policy does not
  govern, and run over the whole document; it fails on every violation of impact serious or critical,
  and on the rules in ALWAYS_FAILING whatever their impact (headings in order, one main landmark…).
  Without axe-core it warns and checks nothing, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import warnings
from functools import cache
from pathlib import Path

import pytest

TAP_MIN = 44
INLINE_TEXT_MIN = 10
AXE_VERSION = "4.10.3"
AXE_JS = Path(__file__).resolve().parents[2] / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = f"npm install --prefix var/node axe-core@{AXE_VERSION} (./scripts/test does it)"
AXE_IMPACTS = {"serious", "critical"}
# Moderate in axe's book, required here: headings without skipped levels, one h1, the page's landmarks.
ALWAYS_FAILING = {
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-unique",
    "region",
    "html-has-lang",
    "html-lang-valid",
    "label",
    "select-name",
}
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


class AxeCoreMissing(UserWarning):
    """axe-core is not installed: the page's accessibility rules were not checked."""


# Shared by the two in-page checks: which elements count, which are hidden, how to name one in a report.
_JS_COMMON = r"""
const INTERACTIVE = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], label';
const hidden = (el) => {
  if (!el.getClientRects().length) return true;
  if (el.closest('details:not([open])') && !el.closest('details:not([open]) > summary')) return true;
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden' || style.opacity === '0') return true;
  }
  const box = el.getBoundingClientRect();
  return box.width <= 1 || box.height <= 1;
};
const toggles = (label) => {
  const control = label.control;
  return control && (control.type === 'radio' || control.type === 'checkbox') ? control : null;
};
const describe = (el) => {
  let name = el.tagName.toLowerCase();
  if (el.id) name += '#' + el.id;
  else if (el.classList.length) name += '.' + [...el.classList].join('.');
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
  return name + (text ? ' "' + text.slice(0, 30) + '"' : '');
};
"""

_TAP_TARGETS_JS = (
    "([minimum, inlineTextMin]) => {"
    + _JS_COMMON
    + r"""
  const ownText = (block) => {
    // The block's text outside links, buttons and form controls: the "sentence" around a link.
    let text = '';
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest(INTERACTIVE)) text += node.textContent;
    }
    return text.replace(/[\s·|/›>、，,。:：]+/g, '');
  };
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  const union = (boxes) => {
    const left = Math.min(...boxes.map((b) => b.left)), right = Math.max(...boxes.map((b) => b.right));
    const top = Math.min(...boxes.map((b) => b.top)), bottom = Math.max(...boxes.map((b) => b.bottom));
    return {width: right - left, height: bottom - top};
  };
  const offenders = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(INTERACTIVE)) {
    if (seen.has(el) || hidden(el)) continue;
    let boxes = [el.getBoundingClientRect()];
    if (el.tagName === 'LABEL') {
      const control = toggles(el);
      if (!control) continue;  // a text field's label is not a target: its field is
      seen.add(control);
      if (!el.contains(control) && !hidden(control)) boxes.push(control.getBoundingClientRect());
    } else if (el.tagName === 'INPUT' && (el.type === 'radio' || el.type === 'checkbox')) {
      const labels = [...(el.labels || [])].filter((label) => !hidden(label));
      if (labels.length) continue;  // measured as its label
    }
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const block = blockOf(el);
      if (block && ownText(block).length >= inlineTextMin) continue;  // WCAG 2.5.8: inline in a sentence
    }
    const box = union(boxes);
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      offenders.push(`${describe(el)}: ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return offenders;
}"""
)

_LETTER_COLUMN_JS = (
    "() => {"
    + _JS_COMMON
    + r"""
  const offenders = [];
  const controls = 'a[href], button, summary, [role=button], label';
  for (const el of document.querySelectorAll(controls)) {
    if (hidden(el) || (el.tagName === 'LABEL' && !toggles(el))) continue;
    const tops = [];
    const perLine = new Map();
    let characters = 0;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node && characters < 200; node = walker.nextNode()) {
      if (node.parentElement !== el && hidden(node.parentElement)) continue;  // e.g. a .visually-hidden word
      const text = node.textContent;
      for (let i = 0; i < text.length && characters < 200; i++) {
        if (/\s/.test(text[i])) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (!box.width && !box.height) continue;
        characters++;
        // Characters of one line share a top within half their height (a ruby or a badge may shift a little).
        let line = tops.find((top) => Math.abs(top - box.top) < box.height / 2);
        if (line === undefined) { line = box.top; tops.push(line); }
        perLine.set(line, (perLine.get(line) || 0) + 1);
      }
    }
    const lines = tops.length;
    if (lines >= 2 && (characters <= 4 || characters / lines < 3)) {
      offenders.push(`${describe(el)}: ${characters} characters on ${lines} lines`);
    }
  }
  return offenders;
}"""
)


def _where(page, label: str) -> str:
    return f"{label or page.url}"


def tap_target_offenders(page) -> list[str]:
    """The visible interactive elements of the page smaller than 44×44 px, as `tag#id "text": W×H`."""
    return page.evaluate(_TAP_TARGETS_JS, [TAP_MIN, INLINE_TEXT_MIN])


def letter_column_offenders(page) -> list[str]:
    """The buttons, links and toggle labels whose text wraps one or two characters per line."""
    return page.evaluate(_LETTER_COLUMN_JS)


def assert_tap_targets(page, label: str = "") -> None:
    offenders = tap_target_offenders(page)
    assert not offenders, f"tap targets under {TAP_MIN}×{TAP_MIN} px on {_where(page, label)}:\n  " + "\n  ".join(
        offenders
    )


def assert_no_letter_column(page, label: str = "") -> None:
    offenders = letter_column_offenders(page)
    assert not offenders, f"text wrapping a character or two per line on {_where(page, label)}:\n  " + "\n  ".join(
        offenders
    )


@cache
def axe_source() -> str | None:
    return AXE_JS.read_text(encoding="utf-8") if AXE_JS.exists() else None


def axe_available() -> bool:
    return axe_source() is not None


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page that fail here: serious or critical ones, and ALWAYS_FAILING's.

    axe is evaluated as the body of a function through the DevTools protocol (page.evaluate), which the
    Content-Security-Policy does not apply to: no inline <script> is added to the page."""
    source = axe_source()
    if source is None:
        raise FileNotFoundError(f"{AXE_JS} not found: {AXE_INSTALL}")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {\n" + source + "\n}")
    result = page.evaluate(
        """async () => {
          const result = await window.axe.run(document, {resultTypes: ['violations']});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
          }));
        }"""
    )
    return [v for v in result if v["impact"] in AXE_IMPACTS or v["id"] in ALWAYS_FAILING]


def assert_axe_clean(page, label: str = "") -> None:
    if not axe_available():
        if IN_CI:
            pytest.fail(f"axe-core not found at {AXE_JS}, and CI=true: {AXE_INSTALL}")
        warnings.warn(AxeCoreMissing(f"axe-core not installed, rules not checked: {AXE_INSTALL}"), stacklevel=2)
        return
    violations = axe_violations(page)
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['summary']}".replace("\n", " ") for node in violation["nodes"][:8])
    assert not violations, f"axe-core on {_where(page, label)}:\n  " + "\n  ".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """All the checks on the page as it is now: tap targets, no text in a column, axe-core's rules.

    Every failing check is reported together. `label` names the state in the message (a URL may not say
    that a question's feedback is showing)."""
    problems = []
    for check in (assert_tap_targets, assert_no_letter_column, assert_axe_clean):
        try:
            check(page, label)
        except AssertionError as error:
            problems.append(str(error).split("\nassert ")[0])
    assert not problems, "\n\n".join(problems)


def focus_ring_offenders(page, presses: int = 12) -> list[str]:
    """Tabs through the first `presses` stops of the page and names those drawn without a clear focus ring
    (an outline of at least 2 px). Moves the focus: call it last on a page."""
    offenders = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const style = getComputedStyle(el);
              const width = parseFloat(style.outlineWidth) || 0;
              const text = (el.innerText || el.value || '').trim().slice(0, 20);
              return {name: el.tagName.toLowerCase() + (text ? ' "' + text + '"' : ''),
                      ring: style.outlineStyle !== 'none' && width >= 2};
            }"""
        )
        if found and not found["ring"]:
            offenders.append(found["name"])
    return offenders
