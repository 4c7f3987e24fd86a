/* Fireside's additions to Decap CMS, loaded after decap-cms.js (index.html sets
   CMS_MANUAL_INIT, so Decap starts only when this file calls CMS.init()). */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS) return;

  /* Decap labels the new-post button "＋ Post" with U+FF0B (fullwidth plus), which many fonts
     lack (a missing-glyph box): say "New Post" instead, in words every font has. */
  var english = CMS.getLocale("en");
  if (english && english.collection && english.collection.collectionTop) {
    english.collection.collectionTop.newButton = "New %{collectionLabel}";
    // The accessible name must contain the visible text (WCAG 2.5.3).
    english.collection.collectionTop.newButtonAriaLabel = "New %{collectionLabel}";
    CMS.registerLocale("en", english);
  }

  CMS.init();
})();
