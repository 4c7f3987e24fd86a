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
        status.textContent = "Showing " + shown + (filter === "all" ? "" : " " + filter) +
          (shown === 1 ? " question" : " questions");
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
