
// The filters of the records table: by verdict, by regime, and text in the record's id, its
// parties' and vessels' names and the ids of its rules. Without JavaScript the form stays hidden
// and the whole table shows.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var verdict = document.getElementById("f-verdict");
  var regime = document.getElementById("f-regime");
  var text = document.getElementById("f-text");
  var shown = document.getElementById("shown");
  var none = document.getElementById("no-match");
  var rows = Array.prototype.slice.call(
    document.querySelectorAll("#records-table > tbody > tr")
  );

  function apply() {
    var v = verdict.value;
    var r = regime.value;
    var q = text.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (row) {
      var ok =
        (v === "" || row.getAttribute("data-verdict") === v) &&
        (r === "" || row.getAttribute("data-regimes").split("|").indexOf(r) >= 0) &&
        (q === "" || row.getAttribute("data-search").indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) {
        n += 1;
      }
    });
    shown.textContent = String(n);
    none.hidden = n > 0;
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
  });
  form.addEventListener("reset", function () {
    // The form's fields are reset after this event
    window.setTimeout(apply, 0);
  });

  // A count of the summary sets the filter it stands for
  function link(attribute, select) {
    Array.prototype.forEach.call(
      document.querySelectorAll("[" + attribute + "]"),
      function (a) {
        a.addEventListener("click", function () {
          verdict.value = "";
          regime.value = "";
          text.value = "";
          select.value = a.getAttribute(attribute);
          apply();
        });
      }
    );
  }
  link("data-filter-verdict", verdict);
  link("data-filter-regime", regime);

  form.hidden = false;
  apply();
})();
