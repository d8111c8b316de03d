/* Autosave of the questionnaire: every change of an answer posts the area's form (the same
   POST the Save button makes) and shows, under the question just answered, when it was saved;
   the counts per area follow. Without JavaScript the Save buttons do the same. */
(function () {
  "use strict";

  var form = document.getElementById("answers-form");
  if (!form || form.getAttribute("data-autosave") !== "on" || !window.fetch) {
    return;
  }
  var status = null;  // the status line of the question last changed
  var messages = {
    nl: { saving: "Bezig met bewaren…", saved: "Bewaard om ", failed: "Niet bewaard: " },
    en: { saving: "Saving…", saved: "Saved at ", failed: "Not saved: " }
  };
  var words = messages[(document.documentElement.lang || "nl").slice(0, 2)] || messages.nl;
  var pending = null;

  function save() {
    var data = new FormData(form);
    status.textContent = words.saving;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (!answer.saved) {
        status.textContent = words.failed + (answer.error || "");
        return;
      }
      status.textContent = words.saved + answer.at;
      Object.keys(answer.areas || {}).forEach(function (code) {
        var cell = document.querySelector('[data-area-count="' + code + '"]');
        if (cell) {
          var counts = answer.areas[code];
          cell.textContent = cell.textContent.replace(/\d+(\D+)\d+/, counts[0] + "$1" + counts[1]);
        }
      });
    }).catch(function () {
      status.textContent = words.failed;
    });
  }

  form.addEventListener("change", function (event) {
    var question = event.target.closest("fieldset");
    var here = question && question.querySelector("[data-autosave-status]");
    if (!here) {
      return;
    }
    if (status && status !== here) {
      status.textContent = "";
    }
    status = here;
    window.clearTimeout(pending);
    pending = window.setTimeout(save, 300);
  });
})();
