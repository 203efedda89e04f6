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
  // A file larger than the server accepts is refused here, before it is uploaded (the
  // server checks again). Inputs say their limit in data-max-bytes / data-max-label.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) {
      return;
    }
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    var message = "";
    if (file && limit && file.size > limit) {
      message = file.name + " is larger than " + input.getAttribute("data-max-label") +
        ". Choose a smaller file, or reduce its size (for example scan at a lower resolution).";
    }
    input.setCustomValidity(message);
    var group = input.closest(".usa-form-group");
    var shown = group && group.querySelector("[data-size-error]");
    if (message && group && !shown) {
      shown = document.createElement("span");
      shown.className = "usa-error-message";
      shown.setAttribute("role", "alert");
      shown.setAttribute("data-size-error", "");
      input.parentNode.insertBefore(shown, input);
    }
    if (shown) {
      shown.textContent = message;
      shown.hidden = !message;
      group.classList.toggle("usa-form-group--error", Boolean(message));
    }
    if (message) {
      input.value = "";
    }
  });
  // Long lists of checkboxes (HS chapters, countries) get a filter box: type words or a
  // number. A "collapsed" list (data-filter="collapsed": 249 countries) shows only the
  // ticked boxes until something is typed.
  Array.prototype.forEach.call(document.querySelectorAll("fieldset.usa-fieldset"), function (fieldset, index) {
    var boxes = fieldset.querySelectorAll(":scope > .usa-checkbox");
    if (boxes.length < 20) {
      return;
    }
    var id = "portal-filter-" + index;
    var wrapper = document.createElement("div");
    wrapper.className = "margin-bottom-1";
    var legend = fieldset.querySelector(":scope > legend");
    wrapper.innerHTML = '<label class="usa-label" for="' + id + '"></label>' +
      '<input class="usa-input" type="search" id="' + id + '" autocomplete="off">' +
      '<p class="usa-hint" aria-live="polite" data-filter-count></p>';
    wrapper.querySelector("label").textContent = "Search the list" +
      (legend ? ": " + legend.textContent.replace("*", "").trim().toLowerCase() : "");
    fieldset.insertBefore(wrapper, legend ? legend.nextSibling : fieldset.firstChild);
    var count = wrapper.querySelector("[data-filter-count]");
    var search = wrapper.querySelector("input");
    var collapsed = fieldset.getAttribute("data-filter") === "collapsed";
    var filter = function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var ticked = 0;
      Array.prototype.forEach.call(boxes, function (box) {
        var text = box.textContent.toLowerCase();
        var checked = box.querySelector("input").checked;
        var match = checked || ((words.length || !collapsed) && words.every(function (word) {
          return text.indexOf(word) !== -1;
        }));
        box.hidden = !match;
        shown += match ? 1 : 0;
        ticked += checked ? 1 : 0;
      });
      if (words.length) {
        count.textContent = shown + " of " + boxes.length + " shown";
      } else if (collapsed) {
        count.textContent = ticked + " chosen. Type a name or a two-letter code to find more.";
      } else {
        count.textContent = "";
      }
    };
    search.addEventListener("input", filter);
    // Enter in the search box must not submit the form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    if (collapsed) {
      filter();
    }
  });
  // A submit stays blocked while a file input carries a size error.
  document.addEventListener("submit", function (event) {
    var invalid = event.target.querySelector("input[type=file][data-max-bytes]:invalid");
    if (invalid) {
      event.preventDefault();
      invalid.focus();
    }
  }, true);
})();
