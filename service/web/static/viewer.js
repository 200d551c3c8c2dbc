/* argmap viewer enhancements. The page is complete without this script (nested lists);
 * here we turn the outline into a WAI-ARIA tree: collapse/expand, expand/collapse all,
 * depth limit, author/topic filters, search, roving-tabindex keyboard navigation.
 * No framework, no network, no innerHTML: statement text only ever goes in as text. */
(function () {
  "use strict";

  var tree = document.querySelector("[data-argtree]");
  if (!tree) { return; }
  document.documentElement.classList.add("js");

  var items = Array.prototype.slice.call(tree.querySelectorAll("li.node"));
  var toolbar = document.querySelector("[data-toolbar]");
  var statusBox = document.querySelector("[data-status]");
  var searchBox = document.querySelector("[data-search]");
  var authorBox = document.querySelector("[data-filter-author]");
  var topicBox = document.querySelector("[data-filter-topic]");
  var depthBox = document.querySelector("[data-depth]");
  var originals = new Map(); // highlighted element -> its plain text
  var matches = [];
  var matchAt = -1;
  var focused = null;

  function groupOf(li) {
    var last = li.lastElementChild;
    return last && last.tagName === "UL" ? last : null;
  }
  function childItems(li) {
    var g = groupOf(li);
    if (!g) { return []; }
    var out = [];
    for (var c = g.firstElementChild; c; c = c.nextElementSibling) {
      if (!c.hidden) { out.push(c); }
    }
    return out;
  }
  function parentItem(li) {
    var ul = li.parentElement;
    return ul === tree ? null : ul.parentElement;
  }
  function isExpandable(li) { return li.hasAttribute("aria-expanded"); }
  function isExpanded(li) { return li.getAttribute("aria-expanded") === "true"; }
  function setExpanded(li, open) {
    if (isExpandable(li)) { li.setAttribute("aria-expanded", open ? "true" : "false"); }
  }
  function revealAncestors(li) {
    for (var p = parentItem(li); p; p = parentItem(p)) { setExpanded(p, true); }
  }

  // ---- enhance the outline into an ARIA tree ----
  tree.setAttribute("role", "tree");
  var counts = new Map();
  for (var i = items.length - 1; i >= 0; i--) {
    var li = items[i];
    var n = 0;
    var g = groupOf(li);
    if (g) {
      for (var c = g.firstElementChild; c; c = c.nextElementSibling) { n += 1 + (counts.get(c) || 0); }
    }
    counts.set(li, n);
  }
  items.forEach(function (li) {
    li.setAttribute("role", "treeitem");
    li.tabIndex = -1;
    // No aria-labelledby: browsers name a treeitem from its content minus its nested group,
    // which is exactly the card, and WCAG 2.5.3 wants every visible word in that name.
    var g = groupOf(li);
    if (g) {
      g.setAttribute("role", "group");
      li.setAttribute("aria-expanded", "true");
      var n = counts.get(li);
      li.firstElementChild.setAttribute("data-hidden-count", n + (n === 1 ? " reply hidden" : " replies hidden"));
    }
  });
  if (items.length) { items[0].tabIndex = 0; focused = items[0]; }
  if (toolbar) { toolbar.hidden = false; }

  function setFocus(li) {
    if (!li) { return; }
    if (focused && focused !== li) { focused.tabIndex = -1; }
    li.tabIndex = 0;
    focused = li;
    li.focus();
  }

  // ---- moving through visible items, as the tree pattern defines it ----
  function nextVisible(li) {
    if (isExpanded(li)) {
      var kids = childItems(li);
      if (kids.length) { return kids[0]; }
    }
    for (var cur = li; cur; cur = parentItem(cur)) {
      for (var s = cur.nextElementSibling; s; s = s.nextElementSibling) {
        if (!s.hidden) { return s; }
      }
    }
    return null;
  }
  function lastVisibleDescendant(li) {
    while (isExpanded(li)) {
      var kids = childItems(li);
      if (!kids.length) { break; }
      li = kids[kids.length - 1];
    }
    return li;
  }
  function prevVisible(li) {
    for (var s = li.previousElementSibling; s; s = s.previousElementSibling) {
      if (!s.hidden) { return lastVisibleDescendant(s); }
    }
    return parentItem(li);
  }
  function topItems() {
    return Array.prototype.filter.call(tree.children, function (c) { return !c.hidden; });
  }

  function followRef(link) {
    var target = document.getElementById(link.getAttribute("data-ref"));
    if (!target) { return false; }
    target.hidden = false;
    revealAncestors(target);
    setFocus(target);
    target.scrollIntoView({ block: "center" });
    return true;
  }

  tree.addEventListener("keydown", function (e) {
    var li = e.target;
    if (!li.classList || !li.classList.contains("node")) { return; } // keys inside links, summaries
    var handled = true;
    switch (e.key) {
      case "ArrowDown": setFocus(nextVisible(li)); break;
      case "ArrowUp": setFocus(prevVisible(li)); break;
      case "ArrowRight":
        if (isExpandable(li) && !isExpanded(li)) { setExpanded(li, true); }
        else if (isExpanded(li)) { setFocus(childItems(li)[0] || li); }
        break;
      case "ArrowLeft":
        if (isExpanded(li)) { setExpanded(li, false); }
        else { setFocus(parentItem(li)); }
        break;
      case "Home": setFocus(topItems()[0]); break;
      case "End": { var tops = topItems(); if (tops.length) { setFocus(lastVisibleDescendant(tops[tops.length - 1])); } break; }
      case "Enter": {
        var ref = li.querySelector(":scope > .card .ref-link");
        if (ref) { followRef(ref); }
        else if (isExpandable(li)) { setExpanded(li, !isExpanded(li)); }
        break;
      }
      case "*": {
        var sibs = li.parentElement.children;
        for (var k = 0; k < sibs.length; k++) { setExpanded(sibs[k], true); }
        break;
      }
      default: handled = false;
    }
    if (handled) { e.preventDefault(); e.stopPropagation(); }
  });

  tree.addEventListener("click", function (e) {
    var t = e.target;
    var ref = t.closest ? t.closest("[data-ref]") : null;
    if (ref && followRef(ref)) { e.preventDefault(); return; }
    var li = t.closest ? t.closest("li.node") : null;
    if (!li) { return; }
    if (t.classList.contains("twisty")) { setExpanded(li, !isExpanded(li)); }
    if (!t.closest("a, summary, details")) { setFocus(li); }
  });

  // ---- bulk operations ----
  function expandAll(open) {
    items.forEach(function (li) { setExpanded(li, open); });
  }
  function limitDepth(levels) {
    items.forEach(function (li) {
      setExpanded(li, Number(li.getAttribute("data-level")) < levels - 1);
    });
  }
  function say(msg) { if (statusBox) { statusBox.textContent = msg; } }

  var expandBtn = document.querySelector("[data-expand-all]");
  var collapseBtn = document.querySelector("[data-collapse-all]");
  if (expandBtn) { expandBtn.addEventListener("click", function () { expandAll(true); say("All branches expanded."); }); }
  if (collapseBtn) { collapseBtn.addEventListener("click", function () { expandAll(false); say("All branches collapsed."); }); }
  if (depthBox) {
    depthBox.addEventListener("change", function () {
      if (depthBox.value === "") { expandAll(true); say("Showing all levels."); }
      else { limitDepth(Number(depthBox.value)); say("Showing " + depthBox.value + " level(s)."); }
    });
  }

  // ---- filters: matching statements plus the path down to them (dimmed as context) ----
  function applyFilters() {
    var author = authorBox ? authorBox.value : "";
    var topic = topicBox ? topicBox.value : "";
    items.forEach(function (li) { li.classList.remove("context"); li.hidden = false; });
    if (!author && !topic) { say(""); runSearch(); return; }
    var keep = new Set();
    var hits = 0;
    items.forEach(function (li) {
      if (li.classList.contains("k-group")) { return; }
      if (author && li.getAttribute("data-author") !== author) { return; }
      if (topic && (" " + (li.getAttribute("data-topics") || "") + " ").indexOf(" " + topic + " ") < 0) { return; }
      hits += 1;
      keep.add(li);
      for (var p = parentItem(li); p && !keep.has(p); p = parentItem(p)) {
        keep.add(p);
        p.classList.add("context");
        setExpanded(p, true);
      }
    });
    items.forEach(function (li) { if (!keep.has(li)) { li.hidden = true; } });
    if (focused && focused.hidden) { focused.tabIndex = -1; focused = topItems()[0] || null; if (focused) { focused.tabIndex = 0; } }
    var parts = [];
    if (author) { parts.push("by " + authorBox.options[authorBox.selectedIndex].text); }
    if (topic) { parts.push("on " + topicBox.options[topicBox.selectedIndex].text); }
    say(hits + (hits === 1 ? " statement " : " statements ") + parts.join(" ") + "; the grey ones above give context.");
    runSearch();
  }
  if (authorBox) { authorBox.addEventListener("change", applyFilters); }
  if (topicBox) { topicBox.addEventListener("change", applyFilters); }

  // ---- search: highlight with <mark>, open the branches that hold a match ----
  function clearMarks() {
    originals.forEach(function (text, el) { el.textContent = text; });
    originals.clear();
    items.forEach(function (li) { li.classList.remove("current-match"); });
  }
  function highlight(el, needle) {
    var text = el.textContent;
    var lower = text.toLowerCase();
    var at = lower.indexOf(needle);
    if (at < 0) { return false; }
    originals.set(el, text);
    var frag = document.createDocumentFragment();
    var from = 0;
    while (at >= 0) {
      frag.appendChild(document.createTextNode(text.slice(from, at)));
      var m = document.createElement("mark");
      m.textContent = text.slice(at, at + needle.length);
      frag.appendChild(m);
      from = at + needle.length;
      at = lower.indexOf(needle, from);
    }
    frag.appendChild(document.createTextNode(text.slice(from)));
    el.textContent = "";
    el.appendChild(frag);
    return true;
  }
  function runSearch() {
    clearMarks();
    matches = [];
    matchAt = -1;
    var needle = searchBox ? searchBox.value.trim().toLowerCase() : "";
    if (!needle) { return; }
    items.forEach(function (li) {
      if (li.hidden) { return; }
      var card = li.firstElementChild;
      var found = false;
      card.querySelectorAll(":scope > .text .stext, :scope > .text .stitle").forEach(function (el) {
        if (highlight(el, needle)) { found = true; }
      });
      if (found) { matches.push(li); revealAncestors(li); }
    });
    say(matches.length ? matches.length + (matches.length === 1 ? " match" : " matches") + ". Press Enter for the next one." : "No statement matches.");
  }
  function nextMatch() {
    if (!matches.length) { return; }
    if (matchAt >= 0) { matches[matchAt].classList.remove("current-match"); }
    matchAt = (matchAt + 1) % matches.length;
    var li = matches[matchAt];
    li.classList.add("current-match");
    li.scrollIntoView({ block: "center" });
    say("Match " + (matchAt + 1) + " of " + matches.length + ".");
  }
  if (searchBox) {
    var timer = 0;
    searchBox.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(runSearch, 120);
    });
    searchBox.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); if (matchAt < 0 && !matches.length) { runSearch(); } nextMatch(); }
    });
  }
  if (toolbar) { toolbar.addEventListener("submit", function (e) { e.preventDefault(); }); }

  // ---- deep links and printing ----
  if (location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.classList.contains("node")) { revealAncestors(target); }
  }
  var saved = null;
  window.addEventListener("beforeprint", function () {
    saved = items.map(function (li) { return li.getAttribute("aria-expanded"); });
    expandAll(true);
    document.querySelectorAll("details").forEach(function (d) { if (!d.open) { d.open = true; d.setAttribute("data-print-opened", ""); } });
  });
  window.addEventListener("afterprint", function () {
    if (saved) { items.forEach(function (li, k) { if (saved[k] !== null) { li.setAttribute("aria-expanded", saved[k]); } }); }
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) { d.open = false; d.removeAttribute("data-print-opened"); });
  });
})();
