// « Mon compte » in the header is a <details> disclosure: it opens and closes without JavaScript.
// This only adds what a menu is expected to do: Escape closes it (focus back on « Mon compte »),
// and a click or a focus outside it closes it.
(function () {
  "use strict";
  var menus = document.querySelectorAll("details.account-menu");
  if (!menus.length) return;
  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except && menu.open) menu.open = false;
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    closeAll(event.target.closest("details.account-menu"));
  });
  document.addEventListener("focusin", function (event) {
    closeAll(event.target.closest("details.account-menu"));
  });
})();
