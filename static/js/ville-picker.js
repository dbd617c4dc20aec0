/* The town picker: turns each [data-ville-picker] text box into GOV.UK's accessible combobox
   (static/vendor/accessible-autocomplete). Suggestions come from the JSON endpoint named in
   data-source. The same picker chooses other things (a meeting's materials among the library's
   resources): data-chosen-one, data-chosen-many, data-added and data-none then name them. For several towns, each choice becomes one more checked box in the list of
   chosen towns (uncheck to remove), and the text box is emptied for the next one. Without
   this script the form still works: the server resolves what was typed. */
(function () {
  "use strict";
  if (window.villePickerLoaded) {
    return; // the page names this script once per picker
  }
  window.villePickerLoaded = true;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function plural(n, one, many) {
    return n + " " + (n > 1 ? many : one);
  }

  function enhance(root) {
    var inputId = root.getAttribute("data-input-id");
    var original = document.getElementById(inputId);
    if (!original || typeof window.accessibleAutocomplete !== "function") {
      return;
    }
    var multiple = root.getAttribute("data-multiple") === "true";
    var name = root.getAttribute("data-name");
    var source = root.getAttribute("data-source");
    var container = original.parentNode;
    var describedBy = original.getAttribute("aria-describedby");
    var chips = root.querySelector(".ville-picker__chips");
    var status = root.querySelector("[data-ville-picker-status]");
    var latest = 0;
    var chosenOne = root.getAttribute("data-chosen-one") || "ville choisie";
    var chosenMany = root.getAttribute("data-chosen-many") || "villes choisies";
    var added = root.getAttribute("data-added") || "ajoutée.";
    var none = root.getAttribute("data-none") || "Aucune ville ni commune trouvée";

    function suggest(query, populate) {
      var ticket = ++latest;
      var url = source + (source.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (ticket === latest) {
            populate(data.results || []);
          }
        })
        .catch(function () { populate([]); });
    }

    function chosenCodes() {
      var codes = [];
      if (chips) {
        chips.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          if (box.checked) { codes.push(box.value); }
        });
      }
      return codes;
    }

    function addChip(town) {
      var existing = document.getElementById(inputId + "_" + town.code);
      if (existing) {
        existing.checked = true;
      } else {
        var item = document.createElement("li");
        item.className = "ville-picker__chip";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = town.code;
        box.id = inputId + "_" + town.code;
        box.checked = true;
        var label = document.createElement("label");
        label.htmlFor = box.id;
        label.textContent = town.label;
        item.appendChild(box);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(label);
        chips.appendChild(item);
      }
      if (status) {
        status.textContent = town.label + " " + added + " " + plural(chosenCodes().length, chosenOne, chosenMany) + ".";
      }
    }

    function render(defaultValue) {
      container.innerHTML = "";
      window.accessibleAutocomplete({
        element: container,
        id: inputId,
        name: name,
        defaultValue: defaultValue,
        minLength: 2,
        autoselect: false,
        confirmOnBlur: false,
        displayMenu: "list",
        showNoOptionsFound: true,
        source: suggest,
        templates: {
          inputValue: function (town) { return town ? town.label : ""; },
          suggestion: function (town) {
            if (typeof town === "string") { return escapeHtml(town); }
            var count = town.compte ? ' <span class="ville-picker__count">— ' + escapeHtml(town.compte) + "</span>" : "";
            return escapeHtml(town.label) + count;
          }
        },
        onConfirm: function (town) {
          if (!town || !multiple) { return; }
          addChip(town);
          // A fresh, empty combobox for the next town; focus stays in it.
          window.setTimeout(function () {
            render("");
            var input = document.getElementById(inputId);
            if (input) { input.focus(); }
          }, 0);
        },
        tNoResults: function () { return none; },
        tStatusQueryTooShort: function (n) { return "Tapez au moins " + n + " caractères pour voir des suggestions"; },
        tStatusNoResults: function () { return "Aucune suggestion"; },
        tStatusSelectedOption: function (option, length, index) {
          return option + " (" + (index + 1) + " sur " + length + ") est sélectionnée";
        },
        tStatusResults: function (length, selected) {
          return plural(length, "suggestion disponible", "suggestions disponibles") + ". " + (selected || "");
        },
        tAssistiveHint: function () {
          return "Quand des suggestions s'affichent, parcourez-les avec les flèches haut et bas, puis validez avec Entrée.";
        }
      });
      var input = document.getElementById(inputId);
      if (input && describedBy) {
        input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "") + " " + describedBy);
      }
    }

    render(original.value);
    root.classList.add("ville-picker--enhanced");
  }

  function init() {
    document.querySelectorAll("[data-ville-picker]:not(.ville-picker--enhanced)").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
