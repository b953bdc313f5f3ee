// Countdown of an assigned quiz's time limit (loaded with defer; CSP allows scripts from 'self' only).
//
// The server renders the seconds left into [data-countdown] and decides on its own clock whether an
// answer still counts; this only shows the time going down. At zero it opens the quiz again
// ([data-next], a GET even after a form post), and the server, now past the deadline, records the
// unanswered questions as timed out (超时) and shows the result. The timer stays in view down a long
// question by CSS alone (position: sticky).
(function () {
  "use strict";

  var timer = null;

  // The time as Chinese reads it, as quizzes.core.rules.duration_text writes it: 49秒, 11分49秒,
  // 5分钟, 1小时2分, 1小时.
  function text(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    if (hours) return hours + "小时" + (minutes ? minutes + "分" : "");
    if (minutes) return rest ? minutes + "分" + rest + "秒" : minutes + "分钟";
    return rest + "秒";
  }

  function start() {
    var element = document.querySelector("[data-countdown]");
    if (timer) window.clearInterval(timer);
    timer = null;
    if (!element) return;
    var deadline = Date.now() + Number(element.dataset.countdown) * 1000;
    var value = element.querySelector(".quiz-timer-value");
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      value.textContent = text(left);
      element.classList.toggle("quiz-timer-low", left < 60);
      if (left === 0) {
        window.clearInterval(timer);
        timer = null;
        value.textContent = element.dataset.expired || text(0);
        var next = element.dataset.next;
        window.setTimeout(function () {
          if (next) window.location.assign(next);
          else window.location.reload();
        }, 1500);
      }
    }
    tick();
    timer = window.setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", start);
})();
