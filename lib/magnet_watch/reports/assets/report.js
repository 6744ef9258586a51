// Draws the charts of a magnet-watch report with the Vega bundle shipped beside this file
// (assets/vega-bundle.js, named by this script's data-vega attribute): no network. A chart is
// drawn as it nears the screen (an IntersectionObserver), and the bundle (about 0.9 MB) is
// loaded only when the first chart is: a reader on a phone is not kept waiting for charts far
// below. Each figure keeps its static SVG until the live chart has drawn, so a chart is never
// blank (and prints as that picture until then). An explorer named in the page address is
// drawn at once, in that setting.
//
// A drawn chart is one picture to a screen reader: role "img", named by the chart's title
// and described by its text alternative (the figure's hidden description), as the static
// picture was. An explorer's controls write their setting into the page address
// ("#<chart>.<control>=<value>&..."), so a link, even to a file on disk, or a reload opens
// the same setting; its "Copy link" button copies that address, and its "Download this case"
// button saves the case it shows (the rows of its chart, with the setting, the headline lines
// and the citation) as a CSV file, made in the page (a Blob): no network.
(function () {
  "use strict";
  var SEPARATOR = ".";
  // Draw a chart when it comes this close to the screen (above or below).
  var NEAR = "300px 0px";
  // An explorer's grid tables carry their case number in this column, and one parameter, the
  // only one bound to no control, computes the case the controls pick
  // (charts/explorers.py: case_parameter, KEEP_CASE).
  var CASE_COLUMN = "case";
  var script = document.currentScript;
  var vegaSource = script && script.getAttribute("data-vega");
  var vegaLoading = null;

  // Load the Vega bundle once, the first time a chart needs it.
  function loadVega() {
    if (typeof window.vegaEmbed === "function") {
      return Promise.resolve();
    }
    if (!vegaLoading) {
      vegaLoading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = vegaSource;
        tag.onload = resolve;
        tag.onerror = function () {
          reject(new Error("the Vega bundle " + vegaSource + " did not load"));
        };
        document.head.appendChild(tag);
      });
    }
    return vegaLoading;
  }

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
    // A chart not drawn yet keeps the setting the address gave it.
    var pending = stateInHash();
    Object.keys(pending).forEach(function (key) {
      var chart = document.querySelector('figure.chart[data-chart="' + key.split(SEPARATOR)[0] + '"]');
      if (chart && !chart.classList.contains("drawn")) {
        params.set(key, pending[key]);
      }
    });
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

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\n\r#]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function caseParameter(spec) {
    var params = spec.params || [];
    for (var i = 0; i < params.length; i++) {
      if (!params[i].bind && params[i].expr) {
        return params[i].name;
      }
    }
    return null;
  }

  // The visible case as CSV: the citation, the address, the setting and the headline lines as
  // "# " lines, then the rows the chart draws for the case (every grid table but the headline
  // panel's, its case column left out).
  function caseCsv(figure, spec, view) {
    var chosen = view.signal(caseParameter(spec));
    var panel = spec.vconcat && spec.vconcat[0].data && spec.vconcat[0].data.name;
    var datasets = spec.datasets || {};
    var ofCase = function (name) {
      return (datasets[name] || []).filter(function (row) {
        return row[CASE_COLUMN] === chosen;
      });
    };
    var lines = [];
    var comment = function (text) {
      lines.push("# " + text.replace(/\s+/g, " ").trim());
    };
    comment(figure.querySelector("p.cite").textContent);
    comment("Address of this setting: " + window.location.href);
    var bindings = figure.querySelectorAll(".vega-bind");
    for (var b = 0; b < bindings.length; b++) {
      var input = bindings[b].querySelector("input[name], select[name]");
      var name = bindings[b].querySelector(".vega-bind-name");
      if (input && (input.type !== "radio" || input.checked)) {
        comment("Setting: " + (name ? name.textContent : input.name) + ": " + valueOf(input));
      }
    }
    ofCase(panel)
      .sort(function (a, b) {
        return a.order - b.order;
      })
      .forEach(function (row) {
        comment("Headline: " + row.line);
      });
    Object.keys(datasets).forEach(function (name) {
      var rows = name === panel ? [] : ofCase(name);
      if (!rows.length) {
        return;
      }
      var columns = Object.keys(rows[0]).filter(function (c) {
        return c !== CASE_COLUMN;
      });
      lines.push(columns.map(csvCell).join(","));
      rows.forEach(function (row) {
        lines.push(
          columns
            .map(function (c) {
              return csvCell(row[c]);
            })
            .join(",")
        );
      });
    });
    return lines.join("\r\n") + "\r\n";
  }

  function addDownload(box, figure, spec, view) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "download-case";
    button.textContent = "Download this case (CSV)";
    button.addEventListener("click", function () {
      var blob = new Blob([caseCsv(figure, spec, view)], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = figure.dataset.chart + "-case.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () {
        URL.revokeObjectURL(link.href);
      }, 1000);
    });
    box.appendChild(button);
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
    return box;
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

  // A "from the facts" checkbox (p_<name>_facts, charts/explorers.py) takes its parameter
  // from the facts while ticked: its slider (p_<name>) then moves nothing, so it is disabled.
  function partnersFollowFacts(figure) {
    var inputs = controls(figure);
    var byName = {};
    for (var i = 0; i < inputs.length; i++) {
      byName[inputs[i].name] = inputs[i];
    }
    Object.keys(byName).forEach(function (name) {
      var box = byName[name];
      var partner = byName[name.replace(/_facts$/, "")];
      if (box.type !== "checkbox" || !/_facts$/.test(name) || !partner) {
        return;
      }
      var follow = function () {
        partner.disabled = box.checked;
      };
      follow();
      box.addEventListener("change", follow);
    });
  }

  function draw(figure, state) {
    var view = figure.querySelector(".chart-view");
    var specNode = view && document.getElementById(view.getAttribute("data-spec"));
    if (!specNode || figure.dataset.drawing) {
      return;
    }
    figure.dataset.drawing = "yes";
    var spec = JSON.parse(specNode.textContent);
    loadVega()
      .then(function () {
        return window.vegaEmbed(view, spec, { actions: false, renderer: "svg" });
      })
      .then(function (result) {
        nameTheChart(figure);
        if (controls(figure).length) {
          restore(figure, state);
          var box = addLinkControls(figure);
          if (caseParameter(spec)) {
            addDownload(box, figure, spec, result.view);
          }
          view.addEventListener("change", writeHash);
          view.addEventListener("input", writeHash);
          partnersFollowFacts(figure);
        }
        figure.classList.add("drawn");
      })
      .catch(function (error) {
        figure.classList.add("failed");
        console.error("chart " + figure.id + " did not draw: " + error);
      });
  }

  var state = stateInHash();
  var named = {};
  Object.keys(state).forEach(function (key) {
    named[key.split(SEPARATOR)[0]] = true;
  });
  var figures = document.querySelectorAll("figure.chart");
  var watcher =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              if (entry.isIntersecting) {
                watcher.unobserve(entry.target);
                draw(entry.target, state);
              }
            });
          },
          { rootMargin: NEAR }
        )
      : null;
  for (var i = 0; i < figures.length; i++) {
    if (!watcher || named[figures[i].dataset.chart]) {
      draw(figures[i], state);
    } else {
      watcher.observe(figures[i]);
    }
  }
})();
