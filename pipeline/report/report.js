// The registry table and detail panel of report.html.  Every string shown comes from
// the web: it only ever reaches the page through textContent / setAttribute, never
// innerHTML, and only http(s) URLs become links.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var C = {};
  D.cols.forEach(function (c, i) { C[c] = i; });
  var rows = D.rows, byId = {};
  rows.forEach(function (r) { byId[r[C.id]] = r; });
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // One lower-cased haystack per row: what the search box looks in.
  var hay = rows.map(function (r) {
    return fold([r[C.name], r[C.aliases].join(" "), r[C.agency], r[C.region], r[C.province],
                 r[C.expansion], r[C.years].join(" "), r[C.stages].join(" "), r[C.type], r[C.sector_q],
                 r[C.digital]].join(" \u0001 "));
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function safeUrl(u) {
    if (typeof u !== "string" || !/^https?:\/\/[^\s<>"'`]+$/i.test(u)) return "";
    try { var p = new URL(u); return (p.protocol === "http:" || p.protocol === "https:") ? p.href : ""; }
    catch (e) { return ""; }
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  var state = { q: "", key: "n", dir: -1, page: 0, view: [] };
  var $q = document.getElementById("q"), $rows = document.getElementById("rows"),
      $count = document.getElementById("count"), $page = document.getElementById("page"),
      $prev = document.getElementById("prev"), $next = document.getElementById("next");

  function sortValue(r, key) {
    switch (key) {
      case "n": return r[C.n];
      case "years": return r[C.years].length ? r[C.years][r[C.years].length - 1] : -1;
      case "aliases": return r[C.aliases].join(", ");
      case "stages": return r[C.stages].join(", ");
      default: return r[C[key]];
    }
  }
  function compute() {
    var terms = fold(state.q).split(/\s+/).filter(Boolean), idx = [];
    for (var i = 0; i < rows.length; i++) {
      var ok = true;
      for (var t = 0; t < terms.length && ok; t++) ok = hay[i].indexOf(terms[t]) !== -1;
      if (ok) idx.push(i);
    }
    var key = state.key, dir = state.dir, vals = idx.map(function (i) { return sortValue(rows[i], key); });
    var order = idx.map(function (_, j) { return j; });
    order.sort(function (a, b) {
      var x = vals[a], y = vals[b], c;
      if (typeof x === "number" && typeof y === "number") c = x - y;
      else {
        if (x === "" && y !== "") return 1;  // empty cells last, whatever the direction
        if (y === "" && x !== "") return -1;
        c = collator.compare(String(x), String(y));
      }
      return c * dir || collator.compare(rows[idx[a]][C.name], rows[idx[b]][C.name]);
    });
    state.view = order.map(function (j) { return idx[j]; });
  }

  function chips(list, cls, max) {
    var f = document.createDocumentFragment();
    list.slice(0, max).forEach(function (s) { f.appendChild(el("span", "chip " + (cls || ""), s)); });
    if (list.length > max) f.appendChild(el("span", "chip more", "+" + (list.length - max)));
    return f;
  }
  function td(cls, content) {
    var c = el("td", cls);
    if (content instanceof Node) c.appendChild(content); else c.textContent = content == null ? "" : String(content);
    return c;
  }
  function render() {
    var size = D.pageSize, total = state.view.length, pages = Math.max(1, Math.ceil(total / size));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * size, end = Math.min(start + size, total);
    var frag = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var r = rows[state.view[k]], tr = el("tr");
      tr.tabIndex = 0;
      tr.setAttribute("data-id", r[C.id]);
      var name = el("td", "name");
      name.appendChild(el("b", null, r[C.name]));
      if (r[C.expansion]) name.appendChild(el("small", null, r[C.expansion]));
      tr.appendChild(name);
      tr.appendChild(td("", chips(r[C.aliases], "", 3)));
      tr.appendChild(td("", r[C.agency]));
      tr.appendChild(td("", r[C.region]));
      tr.appendChild(td("", r[C.province]));
      tr.appendChild(td("", chips(r[C.stages], "stage", 3)));
      tr.appendChild(td("", r[C.years].join(", ")));
      var sector = el("td", "sector", r[C.sector] ? r[C.sector] + " " : "");
      if (r[C.digital]) sector.appendChild(el("span", "chip " + (r[C.digital] === D.digitalWord ? "digital" : "offline"),
                                              r[C.digital] === D.digitalWord ? "digital" : "not digital"));
      tr.appendChild(sector);
      tr.appendChild(td("num", fmt(r[C.n])));
      if (r[C.id] === openId) tr.className = "sel";
      frag.appendChild(tr);
    }
    $rows.textContent = "";
    $rows.appendChild(frag);
    var msg = total ? "Showing " + fmt(start + 1) + "–" + fmt(end) + " of " + fmt(total) : "No innovation matches";
    if (total !== rows.length) msg += " (filtered from " + fmt(rows.length) + ")";
    $count.textContent = msg;
    $count.setAttribute("data-total", String(total));
    $page.textContent = "Page " + fmt(state.page + 1) + " of " + fmt(pages);
    $prev.disabled = state.page === 0;
    $next.disabled = state.page >= pages - 1;
    document.querySelectorAll("#reg th").forEach(function (th) {
      var k = th.getAttribute("data-key");
      th.setAttribute("aria-sort", k === state.key ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
  }
  function update(resetPage) {
    if (resetPage) state.page = 0;
    compute();
    render();
  }
  function setQuery(q, push) {
    state.q = q;
    if ($q.value !== q) $q.value = q;
    update(true);
    if (push) {
      try { history.replaceState(null, "", q ? "#q=" + encodeURIComponent(q) : location.pathname + location.search); }
      catch (e) { /* some browsers refuse history on file:// */ }
    }
  }

  // -- detail panel ------------------------------------------------------------------
  var $detail = document.getElementById("detail"), $body = document.getElementById("detailbody"), openId = null;
  function articleNode(ref) {
    var a = D.articles[ref], f = document.createDocumentFragment();
    if (!a) return el("span", "meta", "article not in this run's tables");
    var url = safeUrl(a[2]), label = a[1] || a[2] || a[3] || a[0];
    if (url) {
      var link = el("a", null, label);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
      f.appendChild(link);
    } else {
      f.appendChild(el("span", null, label));
    }
    var meta = [a[4], a[5]].filter(Boolean).join(" · ");
    if (!url && a[3] && a[3] !== label) meta = (meta ? meta + " · " : "") + "source: " + a[3];
    if (meta) { f.appendChild(el("br")); f.appendChild(el("span", "meta", meta)); }
    return f;
  }
  function openDetail(id) {
    var r = byId[id];
    if (!r) return;
    openId = id;
    $body.textContent = "";
    $body.appendChild(el("h2", null, r[C.name]));
    if (r[C.expansion]) $body.appendChild(el("p", "exp", r[C.expansion]));
    var dl = el("dl");
    [["Agency", r[C.agency]], ["Agency type", r[C.type]], ["Region", r[C.region]], ["Province", r[C.province]],
     ["Aliases", r[C.aliases].join(", ")], ["First seen", r[C.first]], ["Last seen", r[C.last]],
     ["Articles", fmt(r[C.n])], ["Id", r[C.id]]].forEach(function (p) {
      if (p[1] === "" || p[1] == null) return;
      dl.appendChild(el("dt", null, p[0]));
      dl.appendChild(el("dd", null, p[1]));
    });
    $body.appendChild(dl);

    var evs = (D.events[id] || []).slice().sort(function (a, b) { return (a[3] || 0) - (b[3] || 0); });
    $body.appendChild(el("h3", null, "Timeline (" + evs.length + ")"));
    if (!evs.length) $body.appendChild(el("p", "empty", "No competition events reported."));
    else {
      var ul = el("ul", "timeline");
      evs.forEach(function (e) {
        var li = el("li");
        li.appendChild(el("span", "yr", e[3] || "year ?"));
        li.appendChild(document.createTextNode([e[0], e[2]].filter(Boolean).join(" · ") + (e[1] ? " (" + e[1] + ")" : "")));
        if (e[4].length) li.appendChild(el("span", "meta", " — " + e[4].length + (e[4].length > 1 ? " articles" : " article")));
        ul.appendChild(li);
      });
      $body.appendChild(ul);
    }

    var ms = D.mentions[id] || [], more = D.more[id] || 0;
    $body.appendChild(el("h3", null, "Mentions (" + fmt(ms.length + more) + ")"));
    if (!ms.length) $body.appendChild(el("p", "empty", "No mention rows for this innovation."));
    ms.forEach(function (m) {
      var box = el("div", "mention");
      var head = [m[1], m[2], m[3], m[4], m[5]].filter(function (x) { return x !== "" && x != null; }).join(" · ");
      box.appendChild(el("div", null, head));
      if (m[6]) box.appendChild(el("blockquote", null, m[6]));
      box.appendChild(articleNode(m[0]));
      $body.appendChild(box);
    });
    if (more) $body.appendChild(el("p", "note", fmt(more) + " more mentions are in mentions.csv."));

    var reps = D.replications.filter(function (x) { return x[2] === id || x[5] === id; });
    if (reps.length) {
      $body.appendChild(el("h3", null, "Replications (" + reps.length + ")"));
      reps.forEach(function (x) {
        var box = el("div", "mention");
        box.appendChild(el("div", null, (x[1] || "?") + " → " + ([x[4], x[6]].filter(Boolean).join(" · ") || "?")));
        if (x[7]) box.appendChild(el("blockquote", null, x[7]));
        box.appendChild(articleNode(x[0]));
        $body.appendChild(box);
      });
    }
    $detail.hidden = false;
    $detail.scrollTop = 0;
    render();
  }
  function closeDetail() { $detail.hidden = true; openId = null; render(); }

  // -- wiring ------------------------------------------------------------------------
  var timer = null;
  $q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { setQuery($q.value, true); }, 120);
  });
  document.querySelectorAll("#reg th").forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var k = th.getAttribute("data-key");
      state.dir = state.key === k ? -state.dir : (k === "n" || k === "years" ? -1 : 1);
      state.key = k;
      update(true);
    });
  });
  $prev.addEventListener("click", function () { state.page--; render(); });
  $next.addEventListener("click", function () { state.page++; render(); });
  function rowEvent(ev) {
    var tr = ev.target.closest("tr[data-id]");
    if (tr && (ev.type === "click" || ev.key === "Enter")) openDetail(tr.getAttribute("data-id"));
  }
  $rows.addEventListener("click", rowEvent);
  $rows.addEventListener("keydown", rowEvent);
  document.getElementById("close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !$detail.hidden) closeDetail(); });
  // Chart bars and graph nodes carry data-q: clicking one searches the registry for it.
  document.querySelectorAll("[data-q]").forEach(function (g) {
    function go(ev) {
      if (ev.type === "keydown" && ev.key !== "Enter") return;
      setQuery(g.getAttribute("data-q"), true);
      document.getElementById("registry").scrollIntoView({ behavior: "smooth" });
    }
    g.addEventListener("click", go);
    g.addEventListener("keydown", go);
  });

  // Initial state from the URL: ?q=term or #q=term fills the search box; #id=<innovation> opens it.
  function fromUrl() {
    var q = new URLSearchParams(location.search).get("q"), h = location.hash.replace(/^#/, "");
    var hp = new URLSearchParams(h.indexOf("=") !== -1 ? h : "");
    if (hp.get("q") !== null) q = hp.get("q");
    return { q: q || "", id: hp.get("id") };
  }
  var init = fromUrl();
  $q.value = init.q;
  state.q = init.q;
  update(true);
  if (init.id) openDetail(init.id);
  window.addEventListener("hashchange", function () {
    var s = fromUrl();
    if (s.q !== state.q) setQuery(s.q, false);
    if (s.id && s.id !== openId) openDetail(s.id);
  });
})();
