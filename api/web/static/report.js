// The report form's live evaluation: as the officer types, the form is
// sent (without being recorded) to the preview address, and the criteria
// it meets are shown under the figures. Without scripts the "Xem đánh giá
// dự kiến" button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("task-form");
  var out = document.getElementById("preview");
  if (!form || !out || !form.dataset.preview || !window.fetch) {
    return;
  }
  var timer = null;
  var seq = 0;
  function refresh() {
    var n = ++seq;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "preview");
    fetch(form.dataset.preview, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (res) {
      if (!res.ok) { return null; }
      return res.text();
    }).then(function (html) {
      if (html !== null && n === seq) {
        out.innerHTML = html;
      }
    }).catch(function () { /* the button still works */ });
  }
  form.addEventListener("input", function (e) {
    if (!e.target.name || e.target.name === "note") { return; }
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  form.addEventListener("change", function (e) {
    if (e.target.tagName === "SELECT") { clearTimeout(timer); refresh(); }
  });
})();
