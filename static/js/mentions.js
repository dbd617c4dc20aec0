// Suggestions of members while typing « @Mar… » in an answer or a comment (progressive
// enhancement: without JavaScript, typing « @Prénom Nom » works the same). The textarea keeps
// the focus; the list is announced as a listbox (aria-activedescendant), arrows move, Enter or
// Tab chooses, Escape closes.
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var TOKEN = /(^|\s)@([^\s@][^@\n]{0,40})$/;

  function setup(area, index) {
    var url = area.getAttribute("data-mentions-url");
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var listId = "mentions-" + index;
    var options = [];
    var active = -1;
    var timer = null;
    var asked = "";

    list.id = listId;
    list.className = "mentions-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Membres à mentionner");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", listId);
    area.parentNode.insertBefore(list, area.nextSibling);
    area.parentNode.insertBefore(status, list.nextSibling);

    function token() {
      var before = area.value.slice(0, area.selectionStart);
      var match = TOKEN.exec(before);
      return match ? { start: before.length - match[2].length - 1, text: match[2] } : null;
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      options = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function highlight(next) {
      if (!options.length) {
        return;
      }
      active = (next + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      area.setAttribute("aria-activedescendant", options[active].id);
    }

    function choose(i) {
      var found = token();
      if (!found || !options[i]) {
        close();
        return;
      }
      var name = options[i].getAttribute("data-nom");
      var after = area.value.slice(area.selectionStart);
      area.value = area.value.slice(0, found.start) + "@" + name + " " + after.replace(/^\S*/, "");
      var caret = found.start + name.length + 2;
      area.setSelectionRange(caret, caret);
      status.textContent = name + " sera mentionné·e.";
      close();
      area.focus();
    }

    function show(members) {
      close();
      if (!members.length) {
        status.textContent = "Aucun membre ne correspond.";
        return;
      }
      members.forEach(function (member, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-nom", member.nom);
        option.textContent = member.nom;
        if (member.detail) {
          var detail = document.createElement("span");
          detail.className = "muted";
          detail.textContent = " — " + member.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the textarea
          choose(i);
        });
        list.appendChild(option);
        options.push(option);
      });
      list.hidden = false;
      highlight(0);
      status.textContent =
        members.length + (members.length > 1 ? " membres proposés" : " membre proposé") +
        " : flèches pour choisir, Entrée pour mentionner.";
    }

    function ask() {
      var found = token();
      if (!found || found.text.length < 2) {
        close();
        return;
      }
      if (found.text === asked) {
        return;
      }
      asked = found.text;
      fetch(url + "?q=" + encodeURIComponent(found.text), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { membres: [] }; })
        .then(function (data) {
          var still = token();
          if (still && still.text === found.text) {
            show(data.membres || []);
          }
        })
        .catch(close);
    }

    area.addEventListener("input", function () {
      asked = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    area.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-mentions-url]"), setup);
})();
