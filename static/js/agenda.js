// The meeting form's agenda, faster with JavaScript: « Ajouter un point » adds an empty row in
// place instead of sending the form. Without JavaScript the same button asks the server for
// one more row and keeps everything typed.
(function () {
  "use strict";
  var button = document.querySelector("[data-ajouter-point]");
  var points = document.querySelector("[data-points]");
  var template = document.querySelector("template[data-point-vide]");
  var total = document.querySelector("input[name=points-TOTAL_FORMS]");
  var max = document.querySelector("input[name=points-MAX_NUM_FORMS]");
  if (!button || !points || !template || !total) return;

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= (parseInt(max.value, 10) || 1000)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    var numero = row.querySelector("[data-point-numero]");
    if (numero) numero.textContent = String(index + 1);
    points.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input[name$=\"-titre\"]") || row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  });
})();
