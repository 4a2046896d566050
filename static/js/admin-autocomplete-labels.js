"use strict";
// The admin's autocomplete boxes (select2) hide the labelled <select> and draw their own combobox and
// search field, without a name. Give them the name of the field's label, so screen readers (and axe)
// hear "Skribent", not nothing. Runs after Django's autocomplete.js has drawn the boxes, and again
// whenever select2 redraws one.
(function () {
  function labelFor(select) {
    return select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
  }

  function name(select) {
    const label = labelFor(select);
    if (!label) {
      return;
    }
    if (!label.id) {
      label.id = select.id + "_label";
    }
    const container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) {
      return;
    }
    container.querySelectorAll('[role="combobox"]').forEach(function (box) {
      const rendered = box.querySelector(".select2-selection__rendered");
      const ids = [label.id];
      if (rendered && rendered.id && !select.multiple) {
        ids.push(rendered.id);
      }
      box.setAttribute("aria-labelledby", ids.join(" "));
    });
    // A single choice shows the chosen name in a read-only textbox: the label, then the name.
    container.querySelectorAll('[role="textbox"]').forEach(function (box) {
      box.setAttribute("aria-labelledby", box.id ? label.id + " " + box.id : label.id);
    });
    container.querySelectorAll("input.select2-search__field").forEach(function (input) {
      input.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    });
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  window.addEventListener("load", function () {
    nameAll();
    new MutationObserver(function (changes) {
      if (changes.some(function (c) { return c.addedNodes.length; })) {
        nameAll();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
