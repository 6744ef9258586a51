// Draws every chart of a magnet-watch report with the Vega bundle shipped beside
// this file (assets/vega-bundle.js): no network. Each figure keeps its static SVG
// until the interactive chart has drawn, so a chart is never blank.
(function () {
  "use strict";
  function draw(figure) {
    var view = figure.querySelector(".chart-view");
    var specNode = view && document.getElementById(view.getAttribute("data-spec"));
    if (!specNode || typeof window.vegaEmbed !== "function") {
      return;
    }
    var spec = JSON.parse(specNode.textContent);
    window
      .vegaEmbed(view, spec, { actions: false, renderer: "svg" })
      .then(function () {
        figure.classList.add("drawn");
      })
      .catch(function (error) {
        figure.classList.add("failed");
        console.error("chart " + figure.id + " did not draw: " + error);
      });
  }
  var figures = document.querySelectorAll("figure.chart");
  for (var i = 0; i < figures.length; i++) {
    draw(figures[i]);
  }
})();
