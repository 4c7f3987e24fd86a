/* Fireside's additions to Decap CMS, loaded after decap-cms.js and js-yaml (index.html sets
   CMS_MANUAL_INIT, so Decap starts only when this file calls CMS.init()):

   - the "fireside-frontmatter" file format: posts are read and written the way `fireside new`
     and the demo content write them (flow lists, no line wrapping, the file's own key order,
     only the fields the file had or the form filled in), so a save changes only what was
     edited; a `date: {created, updated}` shows as two date fields; drafts and scheduled posts
     are marked in the post list;
   - a preview that looks like the post: the site's own stylesheets, the byline with names and
     roles (from .authors.yml, embedded in index.html by the build);
   - wording every font can show ("New Post" instead of "＋ Post"). */
(function () {
  "use strict";
  var CMS = window.CMS;
  var yaml = window.jsyaml;
  if (!CMS || !yaml) return;
  var dataNode = document.getElementById("fireside-editor-data");
  var site = dataNode ? JSON.parse(dataNode.textContent || "{}") : {};
  var authors = site.authors || {};

  /* ---- The file format -------------------------------------------------------------------- */

  var FENCE = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
  var DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/;
  // Helper keys live in the entry while it is edited and never reach the file.
  var HELPERS = ["fs_status", "fs_keys", "fs_date_mapping", "fs_date_block", "fs_blank_line"];
  // What a field holds when nobody touched it: such fields are not added to a file.
  var DEFAULTS = {draft: false, pin: false, comments: true};

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function now() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function text(value) {
    if (value instanceof Date) {
      return value.getFullYear() + "-" + pad(value.getMonth() + 1) + "-" + pad(value.getDate()) +
        " " + pad(value.getHours()) + ":" + pad(value.getMinutes());
    }
    return value === null || value === undefined ? "" : String(value);
  }

  function fromFile(content) {
    var match = FENCE.exec(content);
    var data = {};
    var body = content;
    if (match) {
      data = yaml.load(match[1]) || {};
      body = content.slice(match[0].length);
    }
    data.fs_keys = Object.keys(data);
    data.fs_blank_line = /^\r?\n/.test(body);
    data.body = body.replace(/^\r?\n/, "");
    var date = data.date;
    if (date && typeof date === "object" && !(date instanceof Date)) {
      data.fs_date_mapping = true;
      data.fs_date_block = !!match && /^date:[ \t]*\r?$/m.test(match[1]);
      data.updated = text(date.updated);
      data.date = text(date.created);
    } else {
      data.date = text(date);
    }
    data.fs_status = data.draft === true ? "Draft: " : (data.date > now() ? "Scheduled: " : "");
    return data;
  }

  function empty(value) {
    return value === null || value === undefined || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }
  function scalar(value) {
    if (typeof value === "string" && DATE.test(value)) return value.replace("T", " ");
    return yaml.dump(value, {lineWidth: -1, flowLevel: 0, quoteStyle: "double"}).replace(/\n$/, "");
  }
  function flow(list) {
    return "[" + list.map(scalar).join(", ") + "]";
  }

  function toFile(data, sortedKeys) {
    var had = data.fs_keys || [];
    var order = had.concat((sortedKeys || []).filter(function (k) { return had.indexOf(k) < 0; }))
      .concat(Object.keys(data).filter(function (k) { return had.indexOf(k) < 0; }));
    var seen = {};
    var lines = [];
    order.forEach(function (key) {
      if (seen[key] || key === "body" || key === "updated" || HELPERS.indexOf(key) >= 0) return;
      seen[key] = true;
      var value = data[key];
      var wasThere = had.indexOf(key) >= 0;
      if (!wasThere && (empty(value) || DEFAULTS[key] === value)) return;
      if (value === null || value === undefined) {  // a field the file had, left empty
        lines.push(key + ":");
      } else if (key === "title") {
        lines.push("title: " + JSON.stringify(String(value)));
      } else if (key === "date" && (data.fs_date_mapping || !empty(data.updated))) {
        var parts = ["created: " + scalar(text(value))];
        if (!empty(data.updated)) parts.push("updated: " + scalar(text(data.updated)));
        lines.push(data.fs_date_block ? "date:\n  " + parts.join("\n  ")
                                      : "date: {" + parts.join(", ") + "}");
      } else if (Array.isArray(value)) {
        lines.push(key + ": " + flow(value));
      } else if (value && typeof value === "object" && !(value instanceof Date)) {
        lines.push(key + ": " + yaml.dump(value, {lineWidth: -1, flowLevel: 0}).replace(/\n$/, ""));
      } else {
        lines.push(key + ": " + scalar(value instanceof Date ? text(value) : value));
      }
    });
    var body = data.body || "";
    var gap = data.fs_blank_line === false ? "" : "\n";
    return "---\n" + lines.join("\n") + "\n---\n" + gap + body.replace(/\n*$/, "\n");
  }

  CMS.registerCustomFormat("fireside-frontmatter", "md", {fromFile: fromFile, toFile: toFile});

  /* ---- The preview ------------------------------------------------------------------------ */

  (site.stylesheets || []).forEach(function (href) { CMS.registerPreviewStyle(href); });
  // The preview's own spacing, on top of the site's stylesheets.
  CMS.registerPreviewStyle(
    "body { margin: 0; } .fs-preview { padding: 1.2rem 1.6rem; }", {raw: true});

  var h = window.h;
  var createClass = window.createClass;
  var palette = site.palette || {};

  function list(entry, key) {
    var value = entry.getIn(["data", key]);
    return value && value.toJS ? value.toJS() : (Array.isArray(value) ? value : []);
  }

  var PostPreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var title = entry.getIn(["data", "title"]) || "";
      var date = text(entry.getIn(["data", "date"]));
      var updated = text(entry.getIn(["data", "updated"]));
      var categories = list(entry, "categories");
      var people = list(entry, "authors").map(function (key) {
        var a = authors[key] || {name: key, role: "", avatar: null};
        return h("div", {className: "fs-byline__author", key: key},
          a.avatar ? h("img", {className: "fs-avatar", src: a.avatar, alt: "", width: 40,
                               height: 40}) : null,
          h("span", {className: "fs-byline__text"},
            h("span", {className: "fs-byline__name"}, a.name),
            a.role ? h("span", {className: "fs-byline__role"}, a.role) : null));
      });
      var meta = [h("li", {className: "md-meta__item", key: "d"}, date.slice(0, 10))];
      if (updated) meta.push(h("li", {className: "md-meta__item", key: "u"},
                               "Updated " + updated.slice(0, 10)));
      if (categories.length) meta.push(h("li", {className: "md-meta__item", key: "c"},
                                         "In " + categories.join(", ")));
      var status = entry.getIn(["data", "draft"]) === true ? "Draft" :
        (date > now() ? "Scheduled" : "");
      return h("div", {"data-md-color-scheme": palette.scheme || "default",
                       "data-md-color-primary": palette.primary || "indigo",
                       "data-md-color-accent": palette.accent || "indigo",
                       className: "fs-preview"},
        h("article", {className: "md-typeset fs-post"},
          h("header", {className: "fs-post__header"},
            status ? h("span", {className: "md-draft fs-status"}, status) : null,
            h("h1", {id: "fs-post-title"}, title),
            h("div", {className: "fs-byline"}, people),
            h("ul", {className: "md-meta__list fs-meta"}, meta)),
          h("div", {className: "fs-post__body"}, this.props.widgetFor("body"))));
    }
  });
  CMS.registerPreviewTemplate("posts", PostPreview);

  /* ---- The body's editing mode ------------------------------------------------------------- */

  /* Markdown first. Decap opens the body in rich text unless the browser remembers another
     choice (localStorage "cms.md-mode"), whatever the field's `modes` say; in rich text,
     Markdown typed by hand is saved escaped (**bold** becomes \*\*bold\*\*, and
     <!-- more --> stops ending the excerpt). A choice the user makes later is kept. */
  try {
    if (window.localStorage.getItem("cms.md-mode") === null) {
      window.localStorage.setItem("cms.md-mode", "raw");
    }
  } catch (e) { /* storage blocked: Decap falls back to its own default */ }

  /* ---- Wording ---------------------------------------------------------------------------- */

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
