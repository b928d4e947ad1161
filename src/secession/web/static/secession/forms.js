/* Forms that help (no inline script: the CSP forbids it). After a refused submission the
   page opens on the error summary: focus moves to it (or, without one, to the first invalid
   field), so a screen reader reads the problems first; a link in the summary moves focus
   into its field, not only the view. */
(function () {
  "use strict";
  function start() {
    var summary = document.getElementById("error-summary");
    var first = document.querySelector("[aria-invalid=true]");
    if (summary) {
      summary.focus();
    } else if (first) {
      first.focus();
    }
    if (!summary) {
      return;
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
