// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Move keyboard and screen-reader focus to a form's error summary when the page shows one.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Buttons that ask for confirmation carry data-confirm="message" (no inline handlers: CSP).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
