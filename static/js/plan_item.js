// The plan item form shows the parts its intent asks for (access_plans/forms.py). The server
// renders every part, those of other intents hidden and disabled; this shows and enables the
// parts of the intent chosen, as the server would render them. Without it, the server does the
// same on the next submission.
(function () {
  "use strict";
  var form = document.getElementById("item-form");
  if (!form) { return; }
  function apply(intent) {
    form.querySelectorAll("[data-intents]").forEach(function (part) {
      var shown = part.dataset.intents.split(" ").indexOf(intent) !== -1;
      part.hidden = !shown;
      if (part.classList.contains("ctodp-intent-field")) {
        part.querySelectorAll("input, select, textarea").forEach(function (input) {
          input.disabled = !shown;
        });
      }
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "intent") { apply(event.target.value); }
  });
})();
