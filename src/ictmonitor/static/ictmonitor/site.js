// The header's menu on a narrow screen: one button shows or hides the menu, the account and the
// language form (a disclosure: aria-expanded on the button). Without this script all of them
// stay shown, as on a wide screen.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  var panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) { return; }
  header.classList.add("has-menu-toggle");
  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panel.classList.toggle("is-open", open);
  }
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
}());
