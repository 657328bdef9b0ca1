// The progress bar of a large import (templates/admin/imports/job.html): asks
// the job's status URL (JSON) every second and moves the bar; reloads the page
// when the job has finished. Without JavaScript the page's <meta refresh> does
// the same, less often.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar || !window.fetch) {
    return;
  }
  var url = bar.getAttribute("data-status-url");
  var text = document.getElementById("import-progress-text");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        bar.max = status.total || 1;
        bar.value = status.done;
        bar.textContent = status.percent + " %";
        if (text) {
          text.textContent = status.text;
        }
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
