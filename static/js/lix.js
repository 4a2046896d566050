// LIX while writing, on the interview change form: the score of each answer and of the whole text is
// kept current as the editor types. The rules are interviews/readability.py's, and the words come from
// the server (#lix-strings) in the editor's language. Without this file the scores show on each save.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // A sentence ends at a run of . ! ? : that ends a word ("t.ex." inside a word does not end one).
  var SENTENCE_END = /(^|[^.!?:])[.!?:]+(?=\s|$)/g;
  var END = "\u0000";
  var NOT_LETTER = /[^\p{L}\p{N}_\s\u0000]+|[\p{N}_]+/gu;

  function score(text, strings) {
    text = (text || "").slice(0, strings.max_chars).split(END).join("");
    var compact = text.replace(SENTENCE_END, "$1" + END).replace(NOT_LETTER, "");
    var tokens = compact.split(/\s+/).filter(Boolean);
    var ends = tokens.filter(function (token) { return token === END; }).length;
    var words = tokens.length - ends;
    if (!words) {
      return null;
    }
    var longWord = new RegExp("[^\\s\\u0000]{" + (strings.long_word + 1) + ",}", "g");
    var longWords = (compact.match(longWord) || []).length;
    var sentences = (compact.match(/[^\s\u0000][^\u0000]*/g) || []).length;
    var value = Math.round((words / sentences + (100 * longWords) / words) * 10) / 10;
    return { score: value, words: words, sentences: sentences, longWords: longWords };
  }

  function fill(format, values) {
    return format.replace(/%\((\w+)\)[sd]/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function show(element, text, strings) {
    var result = score(text, strings);
    element.textContent = "";
    if (!result) {
      element.textContent = strings.empty;
      return;
    }
    var rounded = Math.floor(result.score + 0.5);
    var band = strings.bands[0];
    strings.bands.forEach(function (candidate) {
      if (rounded >= candidate[0]) {
        band = candidate;
      }
    });
    var strong = document.createElement("strong");
    strong.textContent = fill(strings.label, { score: rounded, band: band[1] });
    element.appendChild(strong);
    element.appendChild(document.createTextNode(" (" + fill(strings.details, {
      meaning: band[1] + ", " + band[2],
      words: result.words,
      sentences: result.sentences,
      long: result.longWords,
    }) + ")"));
  }

  ready(function () {
    var holder = document.getElementById("lix-strings");
    var form = document.getElementById("interview_form");
    if (!holder || !form) {
      return;
    }
    var strings = JSON.parse(holder.getAttribute("data-strings"));
    var whole = form.querySelector("[data-lix='whole']");

    function wholeText() {
      var parts = [];
      var intro = form.querySelector("[name='introduction']");
      if (intro) {
        parts.push(intro.value);
      }
      form.querySelectorAll(".inline-related").forEach(function (row) {
        var remove = row.querySelector("input[name$='-DELETE']");
        if (remove && remove.checked) {
          return;
        }
        row.querySelectorAll("textarea[name$='-question'], textarea[name$='-answer']").forEach(function (box) {
          parts.push(box.value);
        });
      });
      var closing = form.querySelector("[name='closing_text']");
      if (closing) {
        parts.push(closing.value);
      }
      return parts.join("\n\n");
    }

    function update(event) {
      var box = event && event.target;
      if (box && box.name && /-answer$/.test(box.name)) {
        var row = box.closest(".inline-related");
        var own = row && row.querySelector("[data-lix='answer']");
        if (own) {
          show(own, box.value, strings);
        }
      }
      if (whole) {
        show(whole, wholeText(), strings);
      }
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    // Scores for what is on the form now, saved or not (a form sent back with an error, say).
    form.querySelectorAll("textarea[name$='-answer']").forEach(function (box) {
      update({ target: box });
    });
  });
})();
