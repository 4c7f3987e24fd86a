/* Fireside: progressive enhancements only; every page works without this file. */

/* Feed autodiscovery without Material's sitemap requests. Material reads every
   <link rel="alternate"> as a language version of the page and fetches a sitemap.xml beside
   it when the document is ready: three requests a page, 404s beside author and category feeds
   (and cross-origin failures when the site is reached under another host than site_url). The
   HTML keeps the standard links for feed readers; this script, which runs before the document
   is ready, takes the feed links out of Material's sight while Material looks (its listener was
   added first, so it runs first) and puts them back right after, so browser extensions still
   find them. With `navigation.instant`, Material looks again on every navigation. */
(function () {
  "use strict";
  if (document.readyState !== "loading") return;
  var feeds = document.querySelectorAll('link[rel="alternate"][type="application/rss+xml"],' +
    'link[rel="alternate"][type="application/atom+xml"],' +
    'link[rel="alternate"][type="application/feed+json"]');
  if (!feeds.length) return;
  feeds.forEach(function (link) { link.setAttribute("rel", "fireside-feed"); });
  document.addEventListener("DOMContentLoaded", function () {
    feeds.forEach(function (link) { link.setAttribute("rel", "alternate"); });
  }, {once: true});
})();

/* Q&A filter: without JavaScript the links set the URL fragment and CSS (:target) hides the
   other questions. With it, the filter applies in place without jumping, says how many
   questions it shows, and keeps the fragment so the filtered view can be shared. */
(function () {
  "use strict";
  function enhance(section) {
    if (section.classList.contains("fs-js")) return;
    var links = section.querySelectorAll(".fs-qa-filter__link");
    var questions = section.querySelectorAll(".fs-question");
    var status = section.querySelector(".fs-qa-filter__status");
    var empty = section.querySelector(".fs-qa-empty");
    function apply(filter, announce) {
      var shown = 0;
      section.setAttribute("data-filter", filter);
      questions.forEach(function (q) {
        var match = filter === "all" || q.classList.contains("fs-question--" + filter);
        if (match) shown += 1;
      });
      links.forEach(function (link) {
        link.setAttribute("aria-current", String(link.getAttribute("data-filter") === filter));
      });
      if (empty) empty.hidden = shown !== 0;
      if (status && announce) {
        // The sentence comes from the page, in the site's language, counted at build time.
        var link = section.querySelector('.fs-qa-filter__link[data-filter="' + filter + '"]');
        status.textContent = (link && link.getAttribute("data-fs-status")) || "";
      }
    }
    section.classList.add("fs-js");
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var filter = link.getAttribute("data-filter");
        apply(filter, true);
        if (window.history && history.replaceState) {
          history.replaceState(null, "", filter === "all" ? location.pathname + location.search
                                                          : link.getAttribute("href"));
        }
      });
    });
    var hash = location.hash;
    apply(hash === "#qa-answered" ? "answered" : hash === "#qa-unanswered" ? "unanswered" : "all",
          false);
  }
  function init() {
    document.querySelectorAll(".fs-qa-questions").forEach(enhance);
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* Subscribe page: "Copy feed address" buttons. Without JavaScript they stay hidden and the
   read-only fields are there to select and copy by hand; with it, a click copies the address
   (the Clipboard API where the page is a secure context, else the selected field) and says so. */
(function () {
  "use strict";
  function copy(field) {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).then(function () { return true; },
        function () { return document.execCommand("copy"); });
    }
    return Promise.resolve(document.execCommand("copy"));
  }
  function init() {
    var status = document.querySelector(".fs-copy__status");
    document.querySelectorAll("[data-fs-copy]").forEach(function (button) {
      if (button.getAttribute("data-fs-ready")) return;
      var field = document.getElementById(button.getAttribute("data-fs-copy"));
      if (!field) return;
      button.setAttribute("data-fs-ready", "1");
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(field).then(function (done) {
          var text = done ? button.getAttribute("data-fs-copied") : button.getAttribute("data-fs-select");
          if (status) status.textContent = text;
          button.classList.toggle("fs-copy__button--done", !!done);
        });
      });
    });
    document.querySelectorAll(".fs-copy__field").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
    openTarget();
  }
  /* A "Follow" link (subscribe/#feed-author-cfo) opens that feed's details; browsers that do
     not open them for a fragment by themselves get it done here. */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var details = target && target.closest && target.closest("details");
    if (details) {
      details.open = true;
      details.scrollIntoView({block: "center"});  // clear of Material's sticky header
    }
  }
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("load", openTarget);  // after the browser's own fragment scroll
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
