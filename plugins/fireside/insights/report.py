"""The report's files: ``index.html``, ``measured.html``, ``insights.json`` and one CSV a table.

Engine-independent: ``render_report`` returns ``{relative path: bytes}``; the command writes
them to a folder and the MkDocs adapter adds them to the site. The output depends only on the
computed report, so the same snapshots and content give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from fireside.discussions.snapshots import parse_time
from fireside.insights.charts import (
    Point,
    bar_chart,
    data_table,
    dot_chart,
    line_chart,
    scroll_region,
)
from fireside.insights.page import render_page
from fireside.insights.privacy import suppressed_label

__all__ = ["CSV_COLUMNS", "DEFINITIONS", "NOT_COLLECTED", "render_report"]

Row = Mapping[str, Any]

#: Every metric the report shows: (catalogue id, name, definition).
DEFINITIONS: tuple[tuple[str, str, str], ...] = (
    ("P1", "Posts published", "The number of posts published, per leader and per calendar month "
     "(UTC). Scheduled and draft posts are not counted."),
    ("P2", "Posting cadence", "The median and the longest gap in days between a leader's "
     "consecutive posts, and the days since their last post."),
    ("P3", "Active weeks", "The share of the last 13 ISO weeks (the current one included) in "
     "which a leader published at least one post."),
    ("—", "Posting cadence against the target", "A leader's posts in the last 13 weeks divided "
     "by 13, compared with the target set in insights.target_posts_per_week."),
    ("R1", "Replies in the first 7 days", "Staff replies created within 7 \u00d7 24 hours of the "
     "post's publication. A staff reply is one not written by an author of the post. Posts "
     "younger than 7 days show \"pending\"."),
    ("R2", "Participants in the first 7 days", "The number of distinct people who wrote those "
     "replies. This is the report's main measure of how a post resonates."),
    ("R3", "Reactions", "Likes on the post and on all its replies, as the platform counts them."),
    ("L1", "Leader reply rate", "The share of a leader's posts at least 7 days old, with a "
     "synced discussion, in which that leader replied at least once. Shown with n and a Wilson "
     "95 % interval."),
    ("L2", "Questions answered within 7 days", "A leader's questions are the top-level staff "
     "replies on their posts and Q&A sessions. Counted: those that got a reply from that leader "
     "within 7 \u00d7 24 hours. The rate uses questions at least 7 days old."),
    ("L3", "Time to first leader response", "The median and 75th percentile of the hours from "
     "question to the leader's first reply. Unanswered questions are counted as still waiting, "
     "never dropped; when more than half are open, the median shows as \"over half open\"."),
    ("Q1", "Answer rate", "For each Q&A session: questions with at least one reply from a host, "
     "divided by all questions (top-level replies by anyone but the hosts)."),
    ("Q3", "Time to first answer", "The median and 75th percentile of the hours from question "
     "to the first host reply, with open questions counted as still waiting."),
    ("Q5", "Vote-weighted coverage", "The share of the top quarter of questions by likes that "
     "were answered."),
    ("Q6", "Open backlog", "Unanswered questions by age: under 7 days, 7 to 30 days, over 30 "
     "days."),
    ("A1", "Monthly unique participants", "The number of distinct people who replied in a "
     "calendar month (UTC), leaders excluded. The first three months of data are marked "
     "\"warm-up\" because earlier activity was never recorded."),
    ("C1", "Category resonance", "Per category: the median R2 and R1 of its posts at least 7 days "
     "old. Categories with fewer than 5 such posts show no medians."),
    ("C2", "Top posts", "The 10 posts with the most participants in their first 7 days (titles "
     "only)."),
)

#: What the report never collects or shows.
NOT_COLLECTED: tuple[str, ...] = (
    "No names, user ids, avatars or reply text of staff: the report holds counts only.",
    "No figure derived from fewer than the minimum group of distinct people.",
    "No per-employee breakdowns, lists or rankings of staff, and no breakdown by team, "
    "location or organisational unit.",
    "No page views, reading time, tracking pixels, cookies or analytics scripts: the blog does "
    "not record who reads what.",
    "No sentiment, tone or topic analysis of replies.",
    "No weekday or time-of-day patterns of individuals or small groups.",
)

#: The columns of each CSV file, in order.
CSV_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "posts": ("url", "title", "published", "authors", "categories", "discussion", "stale",
              "pending", "replies_7d", "participants_7d", "replies", "likes", "leader_replied",
              "hours_to_first_leader_reply"),
    "leaders": ("key", "name", "posts", "sessions", "median_gap_days", "max_gap_days",
                "days_since_last_post", "posts_13w", "active_weeks_13", "posts_per_week_13",
                "target_posts_per_week", "on_target", "reply_rate", "reply_rate_n",
                "reply_rate_low", "reply_rate_high", "questions", "questions_answered_7d",
                "question_response_rate", "question_response_rate_n",
                "median_hours_to_response", "p75_hours_to_response", "open_questions"),
    "qa": ("url", "title", "published", "hosts", "status", "stale", "questions", "answered",
           "answer_rate", "median_hours_to_first_answer", "p75_hours_to_first_answer", "open",
           "open_under_7d", "open_7_to_30d", "open_over_30d", "top_quartile_answered"),
    "months": ("month", "posts", "participants", "replies", "warm_up", "stale", "partial"),
    "categories": ("name", "posts", "measured_posts", "median_participants_7d",
                   "median_replies_7d", "too_few_posts"),
}

_PENDING_FIELDS = ("replies_7d", "participants_7d")
_NUM = ' class="fs-num"'
_DISCUSSION_FLAGS = {"none": "no discussion", "not synced": "not synced yet"}


def render_report(report: Mapping[str, Any], *, site_name: str, post_base: str | None) -> \
        dict[str, bytes]:
    """Every file of the report.

    Arguments:
        report: ``metrics.build_report``'s result.
        site_name: The site's name, for headers.
        post_base: Prefix that turns a post's site-relative URL into a link (the site URL, or
            ``../`` inside the site); ``None`` shows titles without links.
    """
    files = {
        "index.html": _index(report, site_name, post_base),
        "measured.html": _measured(report, site_name),
        "insights.json": (json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False)
                          + "\n").encode("utf-8"),
    }
    for name, columns in CSV_COLUMNS.items():
        files[f"{name}.csv"] = _csv(report[name], columns, report["min_group"])
    return files


# -- formatting ----------------------------------------------------------------------------------


def _day(iso: str | None) -> str:
    if not iso:
        return "—"
    when = parse_time(iso)
    return f"{when.day} {when:%b %Y}"


def _month_label(month: str) -> str:
    return dt.datetime.strptime(month, "%Y-%m").strftime("%b %Y")


def _cell(row: Row, name: str, min_group: int, text: Callable[[Any], str] = str) -> str:
    """A table cell: suppressed, pending, missing or the formatted value (safe HTML)."""
    if name in row.get("suppressed", ()):
        if name.startswith("median_") and row.get("too_few_posts"):
            return '<td class="fs-num fs-suppressed">fewer than 5 posts</td>'
        return f'<td class="fs-num fs-suppressed">{suppressed_label(min_group)}</td>'
    if name in _PENDING_FIELDS and row.get("pending"):
        return '<td class="fs-num fs-pending">pending</td>'
    value = row.get(name)
    if value is None:
        return '<td class="fs-num">—</td>'
    return f'<td class="fs-num">{escape(text(value))}</td>'


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _hours(value: float) -> str:
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def _num(value: float) -> str:
    return f"{value:g}"


def _link(url: str, title: str, base: str | None) -> str:
    if base is None:
        return escape(title)
    return f'<a href="{escape(base + url)}">{escape(title)}</a>'


def _table(caption: str, headers: Sequence[tuple[str, bool]], rows: Sequence[str]) -> str:
    head = "".join(f'<th scope="col"{_NUM if num else ""}>{escape(h)}</th>' for h, num in headers)
    body = "".join(rows) or (f'<tr><td colspan="{len(headers)}">Nothing to show yet.</td></tr>')
    return (f'{scroll_region(caption)}<table><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def _figure(caption: str, svg: str, table: str) -> str:
    return (f"<figure><figcaption>{escape(caption)}</figcaption>{scroll_region(caption)}{svg}"
            f"</div>{table}</figure>")


# -- index.html ----------------------------------------------------------------------------------


def _index(report: Mapping[str, Any], site_name: str, base: str | None) -> bytes:
    source = report["generated_from"]
    min_group = report["min_group"]
    body = [
        '<p class="fs-note">This report evaluates leadership communication: posts, leaders\' '
        "responsiveness and Q&amp;A coverage. It never evaluates individual employees. Every "
        f"figure from fewer than {min_group} people shows as "
        f"\u201c{suppressed_label(min_group)}\u201d. "
        '<a href="measured.html">How this is measured</a>.</p>',
    ]
    if source["stale_threads"]:
        body.append(
            f'<p class="fs-banner" role="note"><strong>Sync gap.</strong> '
            f'{source["stale_threads"]} discussion(s) could not be updated; their figures are '
            f'as of {_day(source["stale_since"])}. Months from then are marked '
            "\u201csync gap\u201d and are not drops in engagement.</p>")
    body += [_overview(report), _leaders(report), _posts(report, base), _qa(report, base),
             _categories(report)]
    subtitle = (f"As of {_day(source['as_of'])} (newest discussion snapshot: "
                f"{_day(source['newest_snapshot'])})")
    footer = (f"Generated by Fireside from {source['threads']} synced discussion(s). Aggregates "
              'only. <a href="insights.json">insights.json</a> · CSV: '
              + " · ".join(f'<a href="{n}.csv">{n}</a>' for n in CSV_COLUMNS))
    return render_page(
        title=f"Engagement report · {site_name}", site_name=site_name,
        heading="Engagement report", subtitle=subtitle, body="\n".join(body), footer=footer,
        tabs=[("Overview", "#overview"), ("Leaders", "#leaders"), ("Posts", "#posts"),
              ("Q&A", "#qa"), ("Categories", "#categories"),
              ("How this is measured", "measured.html")])


def _tile(value: str, label: str) -> str:
    return f'<div class="fs-tile"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _maybe(row: Row, name: str, min_group: int, text: Callable[[Any], str]) -> str:
    if name in row.get("suppressed", ()):
        return suppressed_label(min_group)
    value = row.get(name)
    return "—" if value is None else text(value)


def _overview(report: Mapping[str, Any]) -> str:
    o, min_group = report["overview"], report["min_group"]
    months = report["months"]
    tiles = [
        _tile(str(o["posts_90d"]), "posts in the last 90 days"),
        _tile(_maybe(o, "median_participants_7d_90d", min_group, _num),
              f"median participants per post, first 7 days (n = "
              f"{o['median_participants_7d_90d_n']} posts, last 90 days)"),
        _tile(_maybe(o, "leader_reply_rate", min_group, _pct),
              f"posts where a leader replied (n = {o['leader_reply_rate_n']})"),
        _tile(_maybe(o, "qa_answer_rate", min_group, _pct),
              f"Q&A questions answered (n = {o['qa_answer_rate_n']})"),
    ]
    if o["last_month"]:
        tiles.append(_tile(_maybe(o, "last_month_participants", min_group, str),
                           f"people who replied in {_month_label(o['last_month'])}"))
    out = ['<section id="overview" aria-labelledby="overview-h">',
           '<h2 id="overview-h">Overview</h2>', f'<div class="fs-tiles">{"".join(tiles)}</div>']
    if months:
        out.append(_posts_chart(months))
        out.append(_people_chart(months, min_group))
    out.append("</section>")
    return "".join(out)


def _month_note(m: Row) -> str:
    notes = [n for flag, n in (("stale", "sync gap"), ("warm_up", "warm-up"),
                               ("partial", "month in progress")) if m.get(flag)]
    return ", ".join(notes)


def _posts_chart(months: Sequence[Row]) -> str:
    points = [Point(_month_label(m["month"]), m["posts"],
                    "month in progress" if m["partial"] else "") for m in months]
    busiest = max(months, key=lambda m: (m["posts"], m["month"]))
    desc = (f"Posts published per month from {points[0].label} to {points[-1].label}; the most "
            f"was {busiest['posts']} in {_month_label(busiest['month'])}.")
    table = data_table("Posts per month", ("Month", "Posts"),
                       [(p.label, f"{p.value:g}") for p in points])
    return _figure("Posts per month (P1)", bar_chart("chart-p1", "Posts per month", desc,
                                                     points), table)


def _people_chart(months: Sequence[Row], min_group: int) -> str:
    points = [Point(_month_label(m["month"]), m["participants"], _month_note(m)) for m in months]
    shown = [m for m in months if m["participants"] is not None and not _month_note(m)]
    if shown:
        peak = max(shown, key=lambda m: (m["participants"], m["month"]))
        summary = (f"the highest complete month was {_month_label(peak['month'])} with "
                   f"{peak['participants']} people")
    else:
        summary = "no complete month can be shown yet"
    desc = (f"Distinct people who replied each month; {summary}. Hollow points are warm-up "
            "months, sync gaps or the current month, and gaps are months with fewer than "
            f"{min_group} people.")
    rows = [(p.label, _maybe(m, "participants", min_group, str), _month_note(m) or "—")
            for p, m in zip(points, months, strict=True)]
    table = data_table("Monthly unique participants", ("Month", "Participants", "Note"), rows)
    return _figure("Monthly unique participants (A1)",
                   line_chart("chart-a1", "Monthly unique participants", desc, points), table)


# -- leaders -------------------------------------------------------------------------------------


def _leaders(report: Mapping[str, Any]) -> str:
    leaders, min_group = report["leaders"], report["min_group"]
    target = report["target_posts_per_week"]
    rows = []
    for r in leaders:
        rate = _cell(r, "reply_rate", min_group, _pct)
        if r["reply_rate"] is not None:
            rate = rate.replace("</td>", f" <span class=\"fs-note\">of {r['reply_rate_n']}"
                                "</span></td>")
        answered = _cell(r, "questions_answered_7d", min_group)
        if r["question_response_rate"] is not None:
            answered = answered.replace("</td>", f' <span class="fs-note">'
                                        f'({_pct(r["question_response_rate"])} of '
                                        f'{r["question_response_rate_n"]})</span></td>')
        median = _cell(r, "median_hours_to_response", min_group, _hours)
        if r["median_hours_to_response"] is None and r["questions"] and \
                "median_hours_to_response" not in r["suppressed"]:
            median = '<td class="fs-num fs-pending">over half open</td>'
        rows.append(
            f'<tr><th scope="row">{escape(r["name"])}</th>'
            + _cell(r, "posts", min_group)
            + _cell(r, "posts_per_week_13", min_group, lambda v: f"{v:.2f}")
            + _cell(r, "active_weeks_13", min_group, _pct)
            + _cell(r, "median_gap_days", min_group, lambda v: f"{v:.0f} d")
            + _cell(r, "days_since_last_post", min_group, lambda v: f"{v} d")
            + rate
            + _cell(r, "questions", min_group)
            + answered
            + median
            + _cell(r, "open_questions", min_group) + "</tr>")
    table = _table(f"Leaders (target: {target:g} posts a week)", (
        ("Leader", False), ("Posts", True), ("Posts a week, 13 wk", True),
        ("Active weeks", True), ("Median gap", True), ("Since last post", True),
        ("Reply rate (L1)", True), ("Questions", True), ("Answered ≤ 7 d (L2)", True),
        ("Median time to response (L3)", True), ("Open", True)), rows)
    out = ['<section id="leaders" aria-labelledby="leaders-h">',
           '<h2 id="leaders-h">Leaders</h2>',
           '<p class="fs-note">Small numbers: a rate over a handful of posts moves a lot. Read '
           "the n beside each rate, and do not rank leaders on differences inside the "
           "intervals.</p>", table]
    if leaders:
        out.append(_cadence_chart(leaders, target))
        out.append(_reply_chart(leaders))
    out.append("</section>")
    return "".join(out)


def _cadence_chart(leaders: Sequence[Row], target: float) -> str:
    points = [Point(r["name"], r["posts_per_week_13"]) for r in leaders]
    met = sum(1 for r in leaders if r["on_target"])
    desc = (f"Posts a week over the last 13 weeks for each leader against the target of "
            f"{target:g}; {met} of {len(leaders)} leaders meet it.")
    rows = [(r["name"], f"{r['posts_per_week_13']:.2f}", str(r["posts_13w"]),
             "yes" if r["on_target"] else "no") for r in leaders]
    table = data_table("Posting cadence against the target",
                       ("Leader", "Posts a week", "Posts in 13 weeks", "On target"), rows)
    return _figure("Posting cadence against the target",
                   dot_chart("chart-cadence", "Posting cadence against the target", desc,
                             points, percent=False, target=target,
                             target_label=f"target {target:g}",
                             maximum=max([target * 1.5, *(p.value or 0 for p in points)])),
                   table + f'<p class="fs-note">Target: {target:g} posts a week '
                   "(insights.target_posts_per_week).</p>")


def _reply_chart(leaders: Sequence[Row]) -> str:
    points = [Point(r["name"], r["reply_rate"], "" if r["reply_rate"] is not None else
                    "no posts 7 days old", r["reply_rate_low"], r["reply_rate_high"])
              for r in leaders]
    measured = [r for r in leaders if r["reply_rate"] is not None]
    desc = (f"Share of each leader's posts in which they replied, with 95% intervals; "
            f"{sum(1 for r in measured if r['reply_rate'] >= 0.5)} of {len(measured)} leaders "
            "replied on at least half of their posts.")
    rows = [(r["name"], _pct(r["reply_rate"]) if r["reply_rate"] is not None else "—",
             str(r["reply_rate_n"]),
             f"{_pct(r['reply_rate_low'])}\u2013{_pct(r['reply_rate_high'])}"
             if r["reply_rate_low"] is not None else "—") for r in leaders]
    table = data_table("Leader reply rate", ("Leader", "Reply rate", "n posts", "95% interval"),
                       rows)
    return _figure("Leader reply rate (L1)",
                   dot_chart("chart-l1", "Leader reply rate", desc, points), table)


# -- posts ---------------------------------------------------------------------------------------


def _posts(report: Mapping[str, Any], base: str | None) -> str:
    min_group = report["min_group"]
    names = {r["key"]: r["name"] for r in report["leaders"]}
    rows = []
    for r in report["posts"]:
        flags = ""
        if r["pending"]:
            flags += '<span class="fs-flag">under 7 days old</span>'
        if r["stale"]:
            flags += f'<span class="fs-flag">sync gap: as of {_day(r["as_of"])}</span>'
        if r["discussion"] in _DISCUSSION_FLAGS:
            flags += f'<span class="fs-flag">{_DISCUSSION_FLAGS[r["discussion"]]}</span>'
        replied = {True: "yes", False: "no", None: "—"}[r["leader_replied"]]
        rows.append(
            f'<tr><th scope="row">{_link(r["url"], r["title"], base)}{flags}</th>'
            f'<td class="fs-num">{_day(r["published"])}</td>'
            f'<td>{escape(", ".join(names.get(a, a) for a in r["authors"]))}</td>'
            + _cell(r, "replies_7d", min_group) + _cell(r, "participants_7d", min_group)
            + _cell(r, "replies", min_group) + _cell(r, "likes", min_group)
            + f'<td class="fs-num">{replied}</td>'
            + _cell(r, "hours_to_first_leader_reply", min_group, _hours) + "</tr>")
    table = _table("Posts, newest first", (
        ("Post", False), ("Published", True), ("Leaders", False), ("Replies, 7 d", True),
        ("Participants, 7 d", True), ("Replies", True), ("Likes", True),
        ("Leader replied", True), ("First leader reply", True)), rows)
    top = report["top_posts"]
    items = "".join(f"<li>{_link(t['url'], t['title'], base)} "
                    f'<span class="fs-note">{t["participants_7d"]} participants</span></li>'
                    for t in top)
    top_html = (f"<h3>Top posts by participants in the first 7 days (C2)</h3><ol>{items}</ol>"
                if top else "")
    return ('<section id="posts" aria-labelledby="posts-h"><h2 id="posts-h">Posts</h2>'
            '<p class="fs-note">R1 and R2 count the first 7 days so old and new posts compare '
            "fairly; younger posts are pending.</p>"
            f"{top_html}{table}</section>")


# -- Q&A -----------------------------------------------------------------------------------------


def _qa(report: Mapping[str, Any], base: str | None) -> str:
    min_group = report["min_group"]
    rows = []
    for r in report["qa"]:
        if "open" in r["suppressed"]:
            backlog = f'<td class="fs-num fs-suppressed">{suppressed_label(min_group)}</td>'
        elif r["open"] is None:
            backlog = '<td class="fs-num">—</td>'
        else:
            backlog = (f'<td class="fs-num">{r["open"]} <span class="fs-note">'
                       f'({r["open_under_7d"]} / {r["open_7_to_30d"]} / '
                       f'{r["open_over_30d"]})</span></td>')
        median = _cell(r, "median_hours_to_first_answer", min_group, _hours)
        if r["median_hours_to_first_answer"] is None and r["questions"]:
            median = '<td class="fs-num fs-pending">over half open</td>'
        rows.append(
            f'<tr><th scope="row">{_link(r["url"], r["title"], base)}</th>'
            f'<td class="fs-num">{_day(r["published"])}</td>'
            + _cell(r, "questions", min_group) + _cell(r, "answered", min_group)
            + _cell(r, "answer_rate", min_group, _pct) + median + backlog
            + _cell(r, "top_quartile_answered", min_group, _pct) + "</tr>")
    table = _table("Q&A sessions, newest first; open by age: under 7 d / 7\u201330 d / over 30 d", (
        ("Session", False), ("Date", True), ("Questions", True), ("Answered", True),
        ("Answer rate (Q1)", True), ("Median time to answer (Q3)", True),
        ("Open (Q6)", True), ("Top-quartile answered (Q5)", True)), rows)
    return ('<section id="qa" aria-labelledby="qa-h"><h2 id="qa-h">Q&amp;A</h2>'
            f"{table}</section>")


# -- categories ----------------------------------------------------------------------------------


def _categories(report: Mapping[str, Any]) -> str:
    min_group = report["min_group"]
    cats = report["categories"]
    rows = [f'<tr><th scope="row">{escape(r["name"])}</th>' + _cell(r, "posts", min_group)
            + _cell(r, "measured_posts", min_group)
            + _cell(r, "median_participants_7d", min_group, _num)
            + _cell(r, "median_replies_7d", min_group, _num) + "</tr>" for r in cats]
    table = _table("Categories (C1)", (
        ("Category", False), ("Posts", True), ("Posts ≥ 7 days old", True),
        ("Median participants, 7 d", True), ("Median replies, 7 d", True)), rows)
    out = ['<section id="categories" aria-labelledby="categories-h">',
           '<h2 id="categories-h">Categories</h2>', table]
    if cats:
        points = [Point(r["name"], r["median_participants_7d"]) for r in cats]
        shown = [r for r in cats if r["median_participants_7d"] is not None]
        best = max(shown, key=lambda r: (r["median_participants_7d"], r["name"]), default=None)
        summary = (f"{best['name']} has the highest median, {best['median_participants_7d']:g}"
                   if best else "no category has enough posts yet")
        desc = (f"Median participants in the first 7 days per category; {summary}. Categories "
                "with too few posts or people are left blank.")
        rows_t = [(r["name"], _maybe(r, "median_participants_7d", min_group, _num)
                   if not r["too_few_posts"] else "fewer than 5 posts") for r in cats]
        out.append(_figure("Median participants per post, by category",
                           bar_chart("chart-c1", "Median participants per post, by category",
                                     desc, points),
                           data_table("Median participants by category",
                                      ("Category", "Median participants"), rows_t)))
    out.append("</section>")
    return "".join(out)


# -- measured.html: the notice for the works council and the DPO ---------------------------------


def _measured(report: Mapping[str, Any], site_name: str) -> bytes:
    min_group = report["min_group"]
    defs = "".join(f"<dt>{escape(mid)} · {escape(name)}</dt><dd>{escape(text)}</dd>"
                   for mid, name, text in DEFINITIONS)
    never = "".join(f"<li>{escape(item)}</li>" for item in NOT_COLLECTED)
    body = f"""
<section aria-labelledby="purpose-h"><h2 id="purpose-h">Purpose</h2>
<p>This report evaluates <strong>leadership communication</strong>: how often leaders post, how
the posts resonate, and how leaders respond to staff questions. It is not used, and must not be
used, to evaluate the behaviour or performance of individual employees.</p></section>
<section aria-labelledby="data-h"><h2 id="data-h">Where the figures come from</h2>
<p>From the blog's posts and from the discussion threads linked to them, which
<code>fireside sync</code> copies from the company's social platform. Those threads are already
visible to all staff on the platform, and their reply and like counts are shown on the blog. The
report reads the same copies: it collects nothing new, and the site records nothing about its
readers.</p>
<p>Replies hidden by the moderation list are left out everywhere, as on the site. A discussion
whose last update failed is marked as a <em>sync gap</em>: periods from then are flagged, not
shown as a drop in engagement.</p></section>
<section aria-labelledby="threshold-h"><h2 id="threshold-h">The minimum group</h2>
<p>Every figure derived from staff activity whose group has fewer than
<strong>{min_group}</strong> distinct people is suppressed. It shows as
\u201c{suppressed_label(min_group)}\u201d, and as <code>null</code> in insights.json with the
field named in that row\u2019s <code>suppressed</code> list. The threshold is set with
<code>insights.min_group</code> and cannot be set below 5. The platforms do not say who liked what,
so a post's likes are shown only when its replies come from at least that many people.</p>
</section>
<section aria-labelledby="not-h"><h2 id="not-h">What is not collected</h2><ul>{never}</ul>
</section>
<section aria-labelledby="defs-h"><h2 id="defs-h">Metric definitions</h2>
<p>Times are in UTC. Medians are used instead of means, and every rate is shown with its n.
Numbers are rounded to 2 decimals in insights.json.</p>
<dl class="fs-defs">{defs}</dl></section>
<section aria-labelledby="access-h"><h2 id="access-h">Access and retention</h2>
<p>The report is written to a folder outside the public site. It is published into the site
(under <code>/insights/</code>) only when <code>insights.publish</code> is on, for intranets that
restrict that path to the comms team and the leaders; per-leader figures are personal data of
the leaders too. The report keeps no data of its own: it is rebuilt from the snapshots, which
hold what the site shows.</p>
<p>Questions about this report: contact the internal communications team or the data protection
officer.</p></section>
"""
    return render_page(
        title=f"How this is measured · {site_name}", site_name=site_name,
        heading="How this is measured",
        subtitle="Definitions, thresholds and what is not collected",
        body=body, tabs=[("Back to the report", "index.html")],
        footer="This page serves as the notice on engagement measurement for staff, the works "
               "council and the data protection officer.")


# -- CSV -----------------------------------------------------------------------------------------


def _csv(rows: Sequence[Row], columns: Sequence[str], min_group: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for name in columns:
            value = row.get(name)
            if name in row.get("suppressed", ()):
                cells.append(suppressed_label(min_group))
            elif name in _PENDING_FIELDS and row.get("pending"):
                cells.append("pending")
            elif isinstance(value, list):
                cells.append(";".join(map(str, value)))
            elif isinstance(value, bool):
                cells.append("yes" if value else "no")
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")
