// Live preview of the thesaurus page: while staff type, the preview refreshes (the « Aperçu »
// button does the same without JavaScript).
(function () {
  "use strict";
  var form = document.getElementById("thesaurus-form");
  var target = document.getElementById("thesaurus-apercu");
  if (!form || !target || !window.fetch) {
    return;
  }
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    data.set("action", "apercu");
    if (!(data.get("essai") || "").trim()) {
      return;
    }
    // form.action would be the buttons named « action »: read the attribute.
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("thesaurus-apercu");
        if (fresh) {
          target.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () { /* the button still works */ });
  }
  form.addEventListener("input", function (event) {
    if (event.target.name === "essai" || event.target.name === "expressions" || event.target.name === "actif") {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    }
  });
})();
