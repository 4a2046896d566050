// Drag and drop on the hosts' schedule page (templates/events/host_schedule.html), an enhancement of
// the place forms: a session's card dropped on a room and time of the table fills that card's own form
// with the room and the time and submits it, the same POST (and CSRF token) as its button, so the
// server's rules and messages are the same. Keyboard and screen-reader users, and everyone without
// JavaScript, use the forms; nothing here is the only way to do anything.
(function () {
  "use strict";
  var grid = document.querySelector("[data-schedule-drop]");
  var cards = document.querySelectorAll("[data-drag-session]");
  if (!grid || !cards.length) {
    return;
  }
  var dragged = null;

  function formOf(card) {
    return card.querySelector("form.place-form");
  }

  function cellOf(target) {
    return target && target.closest ? target.closest("td[data-drop-room][data-drop-slot]") : null;
  }

  function choose(select, value) {
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === value) {
        select.value = value;
        return true;
      }
    }
    return false;
  }

  Array.prototype.forEach.call(cards, function (card) {
    if (!formOf(card)) {
      return;
    }
    card.setAttribute("draggable", "true");
    card.classList.add("is-draggable");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("is-dragged");
      event.dataTransfer.effectAllowed = "move";
      // Some browsers start no drag without data.
      event.dataTransfer.setData("text/plain", card.getAttribute("data-drag-session"));
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("is-dragged");
      dragged = null;
    });
  });

  grid.addEventListener("dragover", function (event) {
    if (dragged && cellOf(event.target)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });
  grid.addEventListener("dragenter", function (event) {
    var cell = cellOf(event.target);
    if (dragged && cell) {
      cell.classList.add("is-drop-target");
    }
  });
  grid.addEventListener("dragleave", function (event) {
    var cell = cellOf(event.target);
    if (cell && !cell.contains(event.relatedTarget)) {
      cell.classList.remove("is-drop-target");
    }
  });
  grid.addEventListener("drop", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell) {
      return;
    }
    event.preventDefault();
    cell.classList.remove("is-drop-target");
    var form = formOf(dragged);
    var room = form.querySelector("select[name='room']");
    var slot = form.querySelector("select[name='slot']");
    if (
      room &&
      slot &&
      choose(room, cell.getAttribute("data-drop-room")) &&
      choose(slot, cell.getAttribute("data-drop-slot"))
    ) {
      // A real submission: the page that answers shows the server's message, as after the button.
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  var hint = document.querySelector("[data-drag-hint]");
  if (hint) {
    hint.hidden = false;
  }
})();
