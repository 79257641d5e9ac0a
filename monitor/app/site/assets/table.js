// Sorting and filtering of the stance table; served as a file so a strict Content-Security-Policy allows it.
(function () {
  "use strict";
  var table = document.getElementById("stances");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var county = document.getElementById("filter-county");
  var stance = document.getElementById("filter-stance");
  var shown = document.getElementById("shown");
  form.hidden = false;

  function filter() {
    var rows = body.rows, count = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var visible = (!county.value || row.dataset.county === county.value) &&
                    (!stance.value || row.dataset.stance === stance.value);
      row.hidden = !visible;
      if (visible) { count++; }
    }
    shown.textContent = count + " " + shown.dataset.label;
  }

  function sortBy(header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    var collator = new Intl.Collator(document.documentElement.lang || "sv");
    rows.sort(function (a, b) {
      var order = collator.compare(a.cells[index].textContent.trim(), b.cells[index].textContent.trim());
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  county.addEventListener("change", filter);
  stance.addEventListener("change", filter);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    if (!header.hasAttribute("data-sort")) { return; }
    header.tabIndex = 0;
    header.addEventListener("click", function () { sortBy(header, index); });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(header, index); }
    });
  });
  filter();
}());
