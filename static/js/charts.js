// Draws every <canvas data-chart="id"> from the JSON data island with that id (json_script:
// data, never executed, so the Content Security Policy allows it). Each chart has a data table.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var colours = ["#005ea2", "#d83933", "#e5a000", "#00a91c", "#71767a"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var island = document.getElementById(canvas.dataset.chart);
    if (!island) { return; }
    var config = JSON.parse(island.textContent);
    config.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = colours[index % colours.length];
      dataset.borderColor = colours[index % colours.length];
    });
    new Chart(canvas, {
      type: config.type,
      data: { labels: config.labels, datasets: config.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { title: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
})();
