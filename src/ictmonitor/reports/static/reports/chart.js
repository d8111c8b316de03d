/* Draw each report chart: <div class="chart" data-spec-id="ID"> with its Vega-Lite spec in the
   json_script element #ID. The site's CSP forbids eval, so Vega's expressions are interpreted
   (ast: true: vega-embed then uses vega-interpreter), and vega-embed's own <style> elements are
   switched off (reports.css styles the tooltip instead). */
(function () {
  "use strict";

  var OPTIONS = {
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }
  };

  function draw(div) {
    var source = document.getElementById(div.getAttribute("data-spec-id"));
    if (!source || typeof window.vegaEmbed !== "function") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    div.replaceChildren();
    window.vegaEmbed(div, spec, OPTIONS).catch(function (error) {
      div.classList.add("chart-failed");
      if (window.console) {
        window.console.error("chart", error);
      }
    });
  }

  function drawAll() {
    var charts = document.querySelectorAll("div.chart[data-spec-id]");
    for (var i = 0; i < charts.length; i += 1) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
