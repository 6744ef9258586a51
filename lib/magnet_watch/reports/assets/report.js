// Draws every chart of a magnet-watch report with the Vega bundle shipped beside
// this file (assets/vega-bundle.js): no network. Each figure keeps its static SVG
// until the interactive chart has drawn, so a chart is never blank.
//
// A drawn chart is one picture to a screen reader: role "img", named by the chart's title
// and described by its text alternative (the figure's hidden description), as the static
// picture was. An explorer's controls write their setting into the page address
// ("#<chart>.<control>=<value>&..."), so a link, even to a file on disk, or a reload opens
// the same setting; its "Copy link" button copies that address.
(function () {
  "use strict";
  var SEPARATOR = ".";

  function stateInHash() {
    var state = {};
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) {
      return state;
    }
    new URLSearchParams(hash).forEach(function (value, key) {
      state[key] = value;
    });
    return state;
  }

  function controls(figure) {
    return figure.querySelectorAll(".vega-bindings input[name], .vega-bindings select[name]");
  }

  function valueOf(input) {
    if (input.type === "checkbox") {
      return input.checked ? "true" : "false";
    }
    return input.value;
  }

  function writeHash() {
    var params = new URLSearchParams();
    var figures = document.querySelectorAll("figure.chart");
    for (var i = 0; i < figures.length; i++) {
      var inputs = controls(figures[i]);
      for (var j = 0; j < inputs.length; j++) {
        if (inputs[j].type === "radio" && !inputs[j].checked) {
          continue;
        }
        params.set(figures[i].dataset.chart + SEPARATOR + inputs[j].name, valueOf(inputs[j]));
      }
    }
    var address = window.location.href.split("#")[0] + "#" + params.toString();
    try {
      window.history.replaceState(null, "", address);
    } catch (error) {
      window.location.hash = params.toString();
    }
    var shown = document.querySelectorAll(".explorer-link input");
    for (var k = 0; k < shown.length; k++) {
      shown[k].value = window.location.href;
    }
  }

  function restore(figure, state) {
    var inputs = controls(figure);
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var key = figure.dataset.chart + SEPARATOR + input.name;
      if (!(key in state)) {
        continue;
      }
      if (input.type === "checkbox") {
        input.checked = state[key] === "true";
      } else if (input.type === "radio") {
        if (input.value !== state[key]) {
          continue;
        }
        input.checked = true;
      } else {
        input.value = state[key];
      }
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function addLinkControls(figure) {
    var box = document.createElement("div");
    box.className = "explorer-link";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copy link to this setting";
    var address = document.createElement("input");
    address.type = "text";
    address.readOnly = true;
    address.value = window.location.href;
    address.setAttribute("aria-label", "Link to this setting of the chart");
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      address.value = window.location.href;
      var copied = function () {
        status.textContent = "Link copied.";
      };
      var selectIt = function () {
        address.focus();
        address.select();
        status.textContent = "Select the link and copy it.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(address.value).then(copied, selectIt);
      } else {
        selectIt();
      }
    });
    box.appendChild(button);
    box.appendChild(address);
    box.appendChild(status);
    figure.querySelector(".chart-view").insertAdjacentElement("afterend", box);
  }

  function nameTheChart(figure) {
    var svg = figure.querySelector(".chart-view svg");
    if (!svg) {
      return;
    }
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", figure.dataset.title || figure.dataset.chart);
    svg.setAttribute("aria-describedby", "desc-" + figure.dataset.chart);
    svg.removeAttribute("aria-roledescription");
  }

  function draw(figure, state) {
    var view = figure.querySelector(".chart-view");
    var specNode = view && document.getElementById(view.getAttribute("data-spec"));
    if (!specNode || typeof window.vegaEmbed !== "function") {
      return;
    }
    var spec = JSON.parse(specNode.textContent);
    window
      .vegaEmbed(view, spec, { actions: false, renderer: "svg" })
      .then(function () {
        nameTheChart(figure);
        if (controls(figure).length) {
          restore(figure, state);
          addLinkControls(figure);
          view.addEventListener("change", writeHash);
          view.addEventListener("input", writeHash);
        }
        figure.classList.add("drawn");
      })
      .catch(function (error) {
        figure.classList.add("failed");
        console.error("chart " + figure.id + " did not draw: " + error);
      });
  }
  var state = stateInHash();
  var figures = document.querySelectorAll("figure.chart");
  for (var i = 0; i < figures.length; i++) {
    draw(figures[i], state);
  }
})();
