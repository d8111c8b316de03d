// What every page does with a script (without it the page works as well):
// - the header's menu on a narrow screen: one button shows or hides the menu, the account and
//   the language form (a disclosure: aria-expanded on the button); without the script all of
//   them stay shown, as on a wide screen;
// - a page that comes back with an error summary (a refused form or file) moves the focus to
//   it, so a keyboard or screen-reader user starts at what to fix, not at the top; so does a
//   part of the page that htmx brings in with one (a job's page, when the job was refused).
(function () {
  "use strict";

  function foldingMenu() {
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
  }

  function focusErrorSummary() {
    var summary = document.querySelector("main .error-summary");
    if (!summary) { return; }
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.focus();
  }

  foldingMenu();
  focusErrorSummary();
  document.addEventListener("htmx:afterSettle", function (event) {
    var part = event.detail && event.detail.elt;
    if (part && part.querySelector && part.querySelector(".error-summary")) {
      focusErrorSummary();
    }
  });
}());
