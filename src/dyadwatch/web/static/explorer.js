// dyadwatch explorer: draws every chart spec on the page with plotly.js (served by this
// server from the installed plotly package) and turns a click on a bar into a link: the
// same page with ?period=<the bar's period>, so the listed events are a URL like any filter.
"use strict";

function drawChart(holder) {
  const specNode = document.getElementById(holder.dataset.spec);
  if (!specNode || typeof Plotly === "undefined") return;
  const spec = JSON.parse(specNode.textContent);
  // horizontal time labels, as many as fit the width (about 110 px each): never rotated
  // into one another on a phone
  if (spec.layout.xaxis) {
    spec.layout.xaxis.tickangle = 0;
    spec.layout.xaxis.nticks = Math.max(2, Math.floor(holder.clientWidth / 110));
  }
  Plotly.newPlot(holder, spec.data, spec.layout, spec.config).then(function () {
    holder.dataset.drawn = "1";
  });
  if (holder.dataset.click === "place") {
    holder.on("plotly_click", function (event) {
      const point = event.points && event.points[0];
      if (!point || !point.customdata) return;
      listPlace(holder, spec, point.customdata);
    });
  }
  if (holder.dataset.click === "period") {
    holder.on("plotly_click", function (event) {
      const point = event.points && event.points[0];
      if (!point || !point.customdata) return;
      const url = new URL(window.location.href);
      url.searchParams.set("period", point.customdata[0]);
      url.hash = "events";
      window.location.assign(url.toString());
    });
  }
}

// a click on a map place lists its mentions (from the spec's `lists`) as links to the
// event pages; text only through textContent, never as markup
function listPlace(holder, spec, customdata) {
  const box = document.getElementById(holder.dataset.list);
  const mentions = spec.lists && spec.lists[customdata[1]];
  if (!box || !mentions) return;
  box.querySelector(".map-list-title").textContent = customdata[0];
  const list = box.querySelector("ul");
  list.replaceChildren();
  mentions.forEach(function (mention) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "/event/" + encodeURIComponent(mention.id);
    link.textContent = mention.text;
    item.appendChild(link);
    list.appendChild(item);
  });
  box.hidden = false;
}

function drawAll() {
  document.querySelectorAll("figure.plotly .plot[data-spec]").forEach(drawChart);
  // a filter left empty stays out of the URL, so a filtered view reads as a short link
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.value === "") field.disabled = true;
      });
    });
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawAll);
} else {
  drawAll();
}
