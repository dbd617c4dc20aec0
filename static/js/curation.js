// The curation page, faster with JavaScript: one key per decision, no page load.
// Without JavaScript the same buttons send the form and the server answers with the page.
// j / ↓ next, k / ↑ previous, r keep, e discard (then the next article), x select,
// Shift+R / Shift+E keep / discard the selection, s write the summary (Ctrl+Enter saves it,
// Escape goes back to the article), c correct towns and themes, n load the next articles.
(function () {
  "use strict";
  var form = document.querySelector("form[data-curation]");
  var keys = document.querySelector("[data-curation-keys]");
  var status = document.querySelector("[data-curation-status]");
  if (!form) return;
  if (keys) keys.hidden = false;
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-article]"));
  var current = -1;
  var chain = Promise.resolve(); // requests leave one after the other, in the order of the keys
  var inFlight = 0; // shown on the form (data-pending) so that one can wait for every decision to be saved

  function pending(item) {
    return !item.hasAttribute("data-done");
  }

  function show(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0 && items[current]) items[current].classList.remove("is-current");
    current = index;
    var item = items[current];
    item.classList.add("is-current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function step(direction) {
    for (var i = current + direction; i >= 0 && i < items.length; i += direction) {
      if (pending(items[i])) {
        show(i);
        return true;
      }
    }
    return false;
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  function summaries(ids) {
    var data = {};
    ids.forEach(function (id) {
      var field = form.querySelector("[name=\"resume-" + id + "\"]");
      if (field) data["resume-" + id] = field.value;
    });
    return data;
  }

  function send(fields, ids) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(fields).forEach(function (name) {
      if (Array.isArray(fields[name])) {
        fields[name].forEach(function (value) { body.append(name, value); });
      } else {
        body.append(name, fields[name]);
      }
    });
    var texts = summaries(ids);
    Object.keys(texts).forEach(function (name) { body.append(name, texts[name]); });
    inFlight += 1;
    form.setAttribute("data-pending", String(inFlight));
    var request = chain.then(function () {
      return fetch(window.location.href, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      });
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
    chain = request.catch(function () {}).then(function () {
      inFlight -= 1;
      form.setAttribute("data-pending", String(inFlight));
    });
    return request;
  }

  function failed(error, ids) {
    say("Échec de l'enregistrement (" + error.message + ") : réessayez, ou utilisez les boutons.");
    unmark(ids);
  }

  function itemOf(id) {
    return form.querySelector("[data-article=\"" + id + "\"]");
  }

  // Shown at once (the next article is ready for the next key); undone if the server refuses.
  function mark(ids, kept) {
    ids.forEach(function (id) {
      var item = itemOf(id);
      if (!item) return;
      item.setAttribute("data-done", kept ? "retenu" : "ecarte");
      item.classList.remove("is-current");
      item.classList.add(kept ? "is-kept" : "is-discarded");
      var box = item.querySelector("[data-select]");
      if (box) { box.checked = false; box.disabled = true; }
      var done = document.createElement("p");
      done.className = "curation-done";
      done.textContent = kept ? "Retenu" : "Écarté";
      item.appendChild(done);
    });
  }

  function unmark(ids) {
    ids.forEach(function (id) {
      var item = itemOf(id);
      if (!item) return;
      item.removeAttribute("data-done");
      item.classList.remove("is-kept", "is-discarded");
      var box = item.querySelector("[data-select]");
      if (box) box.disabled = false;
      var done = item.querySelector(".curation-done");
      if (done) done.remove();
    });
  }

  function pageDone() {
    return !items.some(pending);
  }

  function moveOn() {
    if (!step(1) && !step(-1)) {
      say("Cette page est triée. Touche n pour les articles suivants.");
    }
  }

  function answered(answer) {
    var text = answer.message + " " + answer.restant + " à trier.";
    if (pageDone()) text += " Cette page est triée. Touche n pour les articles suivants.";
    say(text);
  }

  function decide(index, kept) {
    if (index < 0 || !pending(items[index])) return;
    var id = items[index].getAttribute("data-article");
    var fields = {};
    fields[kept ? "retenir" : "ecarter"] = id;
    var request = send(fields, [id]);
    mark([id], kept);
    moveOn();
    request.then(answered, function (error) { failed(error, [id]); });
  }

  function decideSelection(kept) {
    var ids = Array.prototype.slice.call(form.querySelectorAll("[data-select]:checked")).map(function (box) {
      return box.value;
    });
    if (!ids.length) {
      say("Aucun article sélectionné (touche x pour en sélectionner).");
      return;
    }
    var request = send({ selection: kept ? "retenir" : "ecarter", articles: ids }, ids);
    mark(ids, kept);
    if (!pending(items[current])) moveOn();
    request.then(answered, function (error) { failed(error, ids); });
  }

  function saveSummary(index) {
    var id = items[index].getAttribute("data-article");
    send({ resume: id }, [id]).then(function (answer) {
      say(answer.message);
      items[index].focus();
    }, function (error) { say("Échec de l'enregistrement (" + error.message + ")."); });
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) return;
    var item = button.closest("[data-article]");
    event.preventDefault();
    if (button.name === "selection") {
      decideSelection(button.value === "retenir");
    } else if (button.name === "resume") {
      saveSummary(items.indexOf(item));
    } else if (item) {
      decide(items.indexOf(item), button.name === "retenir");
    }
  });

  form.addEventListener("focusin", function (event) {
    var item = event.target.closest("[data-article]");
    if (item && items.indexOf(item) !== current) {
      if (current >= 0) items[current].classList.remove("is-current");
      current = items.indexOf(item);
      item.classList.add("is-current");
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.matches && target.matches("textarea, input[type=text], input[type=search], select");
    if (typing) {
      if (target.matches("[data-summary]")) {
        if (event.key === "Escape") {
          event.preventDefault();
          items[current].focus();
        } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          saveSummary(current);
        }
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || current < 0) return;
    var item = items[current];
    switch (event.key) {
      case "j":
      case "ArrowDown":
        event.preventDefault();
        step(1);
        break;
      case "k":
      case "ArrowUp":
        event.preventDefault();
        step(-1);
        break;
      case "r":
        event.preventDefault();
        decide(current, true);
        break;
      case "e":
        event.preventDefault();
        decide(current, false);
        break;
      case "R":
        event.preventDefault();
        decideSelection(true);
        break;
      case "E":
        event.preventDefault();
        decideSelection(false);
        break;
      case "x":
        event.preventDefault();
        var box = item.querySelector("[data-select]");
        if (box && !box.disabled) box.checked = !box.checked;
        break;
      case "s":
        event.preventDefault();
        var summary = item.querySelector("[data-summary]");
        if (summary) summary.focus();
        break;
      case "c":
        event.preventDefault();
        var review = item.querySelector("[data-review]");
        if (review) window.location.href = review.href;
        break;
      case "n":
        event.preventDefault();
        chain.then(function () { window.location.reload(); });
        break;
      default:
        break;
    }
  });

  if (items.length) show(0);
})();
