// The invitation form, faster with JavaScript: towns and mission only for a lead, the « new
// organisation » choices only when the typed name is neither known nor an intercommunalité.
// Without JavaScript every field stays visible and the server says what is missing.
(function () {
  "use strict";
  var form = document.querySelector("[data-invitation-form]");
  if (!form) return;
  var roles = form.querySelectorAll("input[name=role]");
  var chefOnly = form.querySelectorAll("[data-role-chef]");
  var organisation = form.querySelector("input[name=organisation]");
  var nouvelle = form.querySelector("[data-nouvelle-organisation]");
  var known = [];
  var list = document.getElementById(organisation ? organisation.getAttribute("list") : "");
  if (list) {
    known = Array.prototype.map.call(list.options, function (option) {
      return option.value.trim().toLowerCase();
    });
  }

  function roleChanged() {
    var checked = form.querySelector("input[name=role]:checked");
    var isChef = !checked || checked.value === "chef_de_projet";
    chefOnly.forEach(function (block) {
      block.hidden = !isChef;
    });
  }

  function organisationChanged() {
    if (!nouvelle || !organisation) return;
    var name = organisation.value.trim().toLowerCase();
    var hasError = nouvelle.querySelector(".field-error") || organisation.closest(".field-error");
    nouvelle.hidden = !hasError && (name === "" || known.indexOf(name) !== -1);
  }

  roles.forEach(function (radio) {
    radio.addEventListener("change", roleChanged);
  });
  if (organisation) {
    organisation.addEventListener("input", organisationChanged);
  }
  roleChanged();
  organisationChanged();
})();
