// Progressive enhancement of the error summary (templates/includes/_error_summary.html), as GOV.UK does:
// focus the summary when the page loads, so a screen reader announces it and the keyboard starts there;
// a link in it moves the focus to its field and scrolls the field's label into view. Without this file
// the links still lead to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.setAttribute("tabindex", "-1");
  summary.addEventListener("blur", function () {
    summary.removeAttribute("tabindex");
  });
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
