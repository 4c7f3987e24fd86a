"""The engagement metrics, computed from ``Inputs`` into plain JSON-ready rows.

Engine-independent and pure. IDs follow the catalogue in ``reference/engagement.md`` §3.1.
Definitions the checks rely on:

- A *staff reply* is a reply not written by an author (or host) of the post.
- ``replies_7d`` (R1) counts staff replies created within 7 x 24 h of publication, and
  ``participants_7d`` (R2) their distinct authors. Posts younger than 7 days are *pending*.
- ``leader_replied`` is true when an author of the post replied at any time.
- A leader's *questions* are the top-level staff replies on their posts and Q&A sessions;
  ``questions_answered_7d`` those that got a reply from that leader within 7 x 24 h.
- For Q&A, ``answered`` counts questions with at least one reply from a host.
- Medians of waiting times are *censored*: a question still open counts as waiting forever, so
  unanswered questions are never dropped (the median is ``None`` when over half are open).

Every figure derived from staff activity whose group has fewer than ``min_group`` distinct
people is ``None`` and named in its row's ``suppressed`` list. Numbers are rounded to 2 places.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

from fireside.discussions.panel import children_of, descendants
from fireside.discussions.qa import questions_of
from fireside.discussions.snapshots import Thread, format_time
from fireside.insights.privacy import blank, suppress
from fireside.insights.sources import Inputs, Item

__all__ = ["WARM_UP_MONTHS", "WEEK", "build_report", "censored_quantile", "wilson"]

WEEK = dt.timedelta(days=7)
#: Months at the start of the series whose participant counts are left-censored (A2).
WARM_UP_MONTHS = 3
#: Categories with fewer measured posts than this show no medians (C1).
CATEGORY_MIN_POSTS = 5
TOP_POSTS = 10

Row = dict[str, Any]


def build_report(inputs: Inputs) -> dict[str, Any]:
    """The whole report as the ``insights.json`` structure."""
    posts = [post_row(item, inputs) for item in inputs.items if item.kind == "post"]
    posts.sort(key=lambda r: (r["published"], r["url"]), reverse=True)
    leaders = [leader_row(key, inputs) for key in _leader_keys(inputs)]
    qa = [qa_row(item, inputs) for item in inputs.items if item.kind == "qa"]
    qa.sort(key=lambda r: (r["published"], r["url"]), reverse=True)
    months = month_rows(inputs)
    return {
        "generated_from": {
            "as_of": format_time(inputs.now),
            "newest_snapshot": format_time(inputs.newest_snapshot)
            if inputs.newest_snapshot else None,
            "stale_threads": inputs.stale_threads,
            "stale_since": format_time(inputs.stale_since) if inputs.stale_since else None,
            "threads": sum(len(i.threads) for i in inputs.items),
        },
        "min_group": inputs.options.min_group,
        "target_posts_per_week": inputs.options.target_posts_per_week,
        "overview": overview(inputs, qa, months),
        "posts": posts,
        "leaders": leaders,
        "qa": qa,
        "months": months,
        "categories": category_rows(inputs, posts),
        "top_posts": top_posts(posts),
    }


# -- helpers -------------------------------------------------------------------------------------


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def censored_quantile(waits: Sequence[float | None], q: float) -> float | None:
    """The ``q`` quantile (nearest rank) of ``waits``, where ``None`` is "still waiting".

    Open items sort after every answered one, so they are never dropped; the result is
    ``None`` when the quantile falls on an open item (or there are none).
    """
    if not waits:
        return None
    ordered = sorted(math.inf if w is None else w for w in waits)
    if q == 0.5:
        value = statistics.median(ordered)
    else:
        value = ordered[max(math.ceil(q * len(ordered)) - 1, 0)]
    return None if math.isinf(value) else round(value, 2)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson 95 % interval of a proportion (``None`` for ``n == 0``)."""
    if n == 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(max(centre - half, 0.0), 2), round(min(centre + half, 1.0), 2)


def _likes(threads: Sequence[Thread]) -> int:
    """R3: likes on the post and its replies."""
    return sum(t.totals.likes + sum(r.likes for r in t.replies) for t in threads)


# -- posts (R1-R3, L1 per post) -----------------------------------------------------------------


def post_row(item: Item, inputs: Inputs) -> Row:
    """One post's row."""
    post = item.post
    published = post.created
    complete = inputs.now - published >= WEEK
    row: Row = {
        "url": post.url, "title": post.title,
        "published": format_time(published), "authors": list(item.leaders),
        "categories": list(post.meta.categories),
        "discussion": "synced" if item.synced else ("not synced" if post.meta.discussion
                                                    else "none"),
        "stale": item.stale, "as_of": format_time(item.as_of) if item.as_of else None,
        "pending": not complete,
        "replies_7d": None, "participants_7d": None, "replies": None, "likes": None,
        "leader_replied": None, "hours_to_first_leader_reply": None, "suppressed": [],
    }
    if not item.synced:
        return row
    staff = item.staff_replies()
    first_week = [(t, r) for t, r in staff if r.created - published <= WEEK]
    people_7d = {(t.platform, r.author_id) for t, r in first_week}
    people = {(t.platform, r.author_id) for t, r in staff}
    likes = _likes(item.threads)
    own = sorted((r for t, r in item.replies() if r.author_id in item.leader_ids(t.platform)),
                 key=lambda r: (r.created, r.id))
    row.update({
        "replies_7d": len(first_week) if complete else None,
        "participants_7d": len(people_7d) if complete else None,
        "replies": len(staff), "likes": likes,
        "leader_replied": bool(own),
        "hours_to_first_leader_reply":
            _r(max(_hours(own[0].created - published), 0.0)) if own else None,
    })
    if complete:
        suppress(row, ("replies_7d", "participants_7d"), len(people_7d), inputs.options.min_group)
    # Platforms do not say who liked: likes are shown with the thread's staff group.
    suppress(row, ("replies", "likes"), len(people), inputs.options.min_group)
    return row


# -- leaders (P1-P3, L1-L3, cadence) -------------------------------------------------------------


def _leader_keys(inputs: Inputs) -> list[str]:
    keys = {key for item in inputs.items for key in item.leaders if key in inputs.authors}
    return sorted(keys)


def _weeks_13(now: dt.datetime) -> set[tuple[int, int]]:
    """The last 13 ISO weeks, the current (possibly partial) one included."""
    day = now.astimezone(dt.UTC).date()
    return {tuple((day - dt.timedelta(weeks=n)).isocalendar())[:2]  # type: ignore[misc]
            for n in range(13)}


def leader_row(key: str, inputs: Inputs) -> Row:
    """One leader's row: cadence, reply rate and responsiveness to staff questions."""
    now, min_group = inputs.now, inputs.options.min_group
    own_items = [i for i in inputs.items if key in i.leaders]
    posts = [i for i in own_items if i.kind == "post" and i.post.created <= now]
    dates = [i.post.created for i in posts]
    gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(dates)]
    weeks = _weeks_13(now)
    recent = [d for d in dates if tuple(d.astimezone(dt.UTC).isocalendar())[:2] in weeks]
    active = {tuple(d.astimezone(dt.UTC).isocalendar())[:2] for d in recent}
    per_week = len(recent) / 13
    target = inputs.options.target_posts_per_week
    # L1: posts at least 7 days old with a synced thread, and whether this leader replied.
    eligible = [i for i in posts if i.synced and now - i.post.created >= WEEK]
    replied = sum(1 for i in eligible if _replied(i, key))
    interval = wilson(replied, len(eligible))
    # L2/L3: top-level staff replies on their posts and sessions.
    waits: list[float | None] = []
    askers: set[tuple[str, str]] = set()
    answered_7d = old = answered_7d_old = 0
    for item in own_items:
        if item.post.created > now:
            continue
        for thread in item.threads:
            me = item.leader_id(key, thread.platform)
            children = children_of(thread)
            for question in children.get(None, []):
                if question.author_id in item.leader_ids(thread.platform):
                    continue
                askers.add((thread.platform, question.author_id))
                mine = [r.created for r in descendants(children, question)
                        if r.author_id == me]
                first = min(mine, default=None)
                waits.append(_hours(first - question.created) if first else None)
                on_time = first is not None and first - question.created <= WEEK
                answered_7d += on_time
                if now - question.created >= WEEK:
                    old += 1
                    answered_7d_old += on_time
    author = inputs.authors[key]
    row: Row = {
        "key": key, "name": author.name, "role": author.description,
        "posts": len(posts),
        "sessions": sum(1 for i in own_items if i.kind == "qa" and i.post.created <= now),
        "median_gap_days": _r(statistics.median(gaps)) if gaps else None,
        "max_gap_days": _r(max(gaps)) if gaps else None,
        "days_since_last_post": int((now - dates[-1]).total_seconds() // 86400)
        if dates else None,
        "posts_13w": len(recent),
        "active_weeks_13": round(len(active) / 13, 2),
        "posts_per_week_13": round(per_week, 2),
        "target_posts_per_week": target,
        "on_target": per_week >= target,
        "reply_rate": _rate(replied, len(eligible)),
        "reply_rate_n": len(eligible),
        "reply_rate_low": interval[0] if interval else None,
        "reply_rate_high": interval[1] if interval else None,
        "questions": len(waits),
        "questions_answered_7d": answered_7d,
        "question_response_rate": _rate(answered_7d_old, old),
        "question_response_rate_n": old,
        "median_hours_to_response": censored_quantile(waits, 0.5),
        "p75_hours_to_response": censored_quantile(waits, 0.75),
        "open_questions": sum(1 for w in waits if w is None),
        "suppressed": [],
    }
    suppress(row, ("questions", "questions_answered_7d", "question_response_rate",
                   "median_hours_to_response", "p75_hours_to_response", "open_questions"),
             len(askers), min_group)
    return row


def _replied(item: Item, key: str) -> bool:
    return any(r.author_id == item.leader_id(key, t.platform) for t, r in item.replies())


# -- Q&A (Q1, Q3, Q5, Q6) ------------------------------------------------------------------------


def qa_row(item: Item, inputs: Inputs) -> Row:
    """One Q&A session's row."""
    post, now = item.post, inputs.now
    row: Row = {
        "url": post.url, "title": post.title, "published": format_time(post.created),
        "hosts": list(item.leaders), "status": post.meta.status or "open",
        "stale": item.stale, "discussion": "synced" if item.synced else "not synced",
        "questions": None, "answered": None, "answer_rate": None,
        "median_hours_to_first_answer": None, "p75_hours_to_first_answer": None,
        "open": None, "open_under_7d": None, "open_7_to_30d": None, "open_over_30d": None,
        "top_quartile_answered": None, "suppressed": [],
    }
    if not item.synced:
        return row
    asked = [(t.platform, q) for t in item.threads
             for q in questions_of(t, item.leader_ids(t.platform))]
    asked.sort(key=lambda pq: (-pq[1].votes, pq[1].reply.created, pq[1].reply.id))
    questions = [q for _, q in asked]  # by votes, then oldest first
    waits = [_hours(q.answers[0].created - q.reply.created) if q.answers else None
             for q in questions]
    ages = [now - q.reply.created for q in questions if not q.answers]
    top = questions[: math.ceil(len(questions) / 4)]
    answered = sum(1 for q in questions if q.answers)
    row.update({
        "questions": len(questions), "answered": answered,
        "answer_rate": _rate(answered, len(questions)),
        "median_hours_to_first_answer": censored_quantile(waits, 0.5),
        "p75_hours_to_first_answer": censored_quantile(waits, 0.75),
        "open": len(ages),
        "open_under_7d": sum(1 for a in ages if a < WEEK),
        "open_7_to_30d": sum(1 for a in ages if WEEK <= a <= dt.timedelta(days=30)),
        "open_over_30d": sum(1 for a in ages if a > dt.timedelta(days=30)),
        "top_quartile_answered": _rate(sum(1 for q in top if q.answers), len(top)),
    })
    suppress(row, ("questions", "answered", "answer_rate", "median_hours_to_first_answer",
                   "p75_hours_to_first_answer", "open", "open_under_7d", "open_7_to_30d",
                   "open_over_30d", "top_quartile_answered"),
             len({(platform, q.reply.author_id) for platform, q in asked}),
             inputs.options.min_group)
    return row


# -- months (P1, A1) -----------------------------------------------------------------------------


def _month(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m")


def _add_months(month: str, count: int) -> str:
    year, number = map(int, month.split("-"))
    year, index = divmod(year * 12 + number - 1 + count, 12)
    return f"{year:04d}-{index + 1:02d}"


def _month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_rows(inputs: Inputs) -> list[Row]:
    """Posts published (P1) and monthly unique participants (A1), per UTC calendar month."""
    now = inputs.now
    posts: dict[str, int] = {}
    for item in inputs.items:
        if item.kind == "post" and item.post.created <= now:
            posts[_month(item.post.created)] = posts.get(_month(item.post.created), 0) + 1
    people: dict[str, set[tuple[str, str]]] = {}
    replies: dict[str, int] = {}
    seen: set[tuple[str, str, str]] = set()
    for item in inputs.items:
        for thread, reply in item.replies():
            executives = inputs.executive_ids.get(thread.platform, frozenset())
            mark = (thread.platform, thread.thread_id, reply.id)
            if reply.is_host or reply.author_id in executives or reply.created > now \
                    or mark in seen:
                continue
            seen.add(mark)
            month = _month(reply.created)
            people.setdefault(month, set()).add((thread.platform, reply.author_id))
            replies[month] = replies.get(month, 0) + 1
    if not posts and not people:
        return []
    first_data = min(people) if people else _month(now)
    months = _month_range(min([*posts, *people]), _month(now))
    warm_until = _add_months(first_data, WARM_UP_MONTHS - 1)  # sync start is unknown before
    stale_from = _month(inputs.stale_since) if inputs.stale_since else None
    rows: list[Row] = []
    for month in months:
        count = len(people.get(month, ()))
        row: Row = {
            "month": month, "posts": posts.get(month, 0), "participants": count,
            "replies": replies.get(month, 0),
            "warm_up": month <= warm_until,
            "stale": stale_from is not None and month >= stale_from,
            "partial": month == _month(now), "suppressed": [],
        }
        suppress(row, ("participants", "replies"), count, inputs.options.min_group)
        rows.append(row)
    return rows


# -- categories (C1) and top posts (C2) ----------------------------------------------------------


def category_rows(inputs: Inputs, posts: Sequence[Row]) -> list[Row]:
    """Per category: posts, and the median R1/R2 of its measured posts (C1)."""
    by_url = {i.post.url: i for i in inputs.items if i.kind == "post"}
    names = sorted({c for row in posts for c in row["categories"]})
    rows: list[Row] = []
    for name in names:
        mine = [row for row in posts if name in row["categories"]]
        measured = [by_url[row["url"]] for row in mine
                    if not row["pending"] and by_url[row["url"]].synced]
        u7, r7, group = _first_weeks(measured)
        row: Row = {
            "name": name, "posts": len(mine), "measured_posts": len(measured),
            "median_participants_7d": _r(statistics.median(u7)) if u7 else None,
            "median_replies_7d": _r(statistics.median(r7)) if r7 else None,
            "too_few_posts": len(measured) < CATEGORY_MIN_POSTS, "suppressed": [],
        }
        fields = ("median_participants_7d", "median_replies_7d")
        if row["too_few_posts"]:  # hidden as noise (not for privacy), listed the same way
            blank(row, fields)
        suppress(row, fields, group, inputs.options.min_group)
        rows.append(row)
    return rows


def _first_weeks(items: Iterable[Item]) -> tuple[list[int], list[int], int]:
    u7: list[int] = []
    r7: list[int] = []
    people: set[tuple[str, str]] = set()
    for item in items:
        week = {(t.platform, r.author_id, r.id) for t, r in item.staff_replies()
                if r.created - item.post.created <= WEEK}
        u7.append(len({(platform, author) for platform, author, _ in week}))
        r7.append(len(week))
        people |= {(platform, author) for platform, author, _ in week}
    return u7, r7, len(people)


def top_posts(posts: Sequence[Row]) -> list[Row]:
    """C2: the posts with the most participants in their first week (shown figures only)."""
    shown = [r for r in posts if r["participants_7d"]]  # suppressed, pending and 0 left out
    ranked = sorted(shown, key=lambda r: r["published"], reverse=True)  # ties: newer first
    ranked.sort(key=lambda r: -r["participants_7d"])
    return [{"url": r["url"], "title": r["title"], "participants_7d": r["participants_7d"],
             "replies_7d": r["replies_7d"]} for r in ranked[:TOP_POSTS]]


# -- overview tiles ------------------------------------------------------------------------------


def overview(inputs: Inputs, qa: Sequence[Row], months: Sequence[Row]) -> Row:
    """The headline figures: the last 90 days, pooled across leaders."""
    start = inputs.now - dt.timedelta(days=90)
    recent = [i for i in inputs.items if i.kind == "post" and start <= i.post.created <= inputs.now]
    measured = [i for i in recent if i.synced and inputs.now - i.post.created >= WEEK]
    u7, _, group = _first_weeks(measured)
    replied = [i for i in inputs.items if i.kind == "post" and i.synced
               and inputs.now - i.post.created >= WEEK and i.post.created <= inputs.now]
    any_reply = sum(1 for i in replied if any(_replied(i, key) for key in i.leaders))
    complete = [m for m in months if not m["partial"] and not m["stale"]]
    last = complete[-1] if complete else None
    questions = [r for r in qa if r["questions"] is not None]
    asked = sum(r["questions"] for r in questions)
    row: Row = {
        "posts_90d": len(recent),
        "median_participants_7d_90d": _r(statistics.median(u7)) if u7 else None,
        "median_participants_7d_90d_n": len(u7),
        "leader_reply_rate": _rate(any_reply, len(replied)),
        "leader_reply_rate_n": len(replied),
        "qa_answer_rate": _rate(sum(r["answered"] for r in questions), asked),
        "qa_answer_rate_n": asked,
        "last_month": last["month"] if last else None,
        "last_month_participants": last["participants"] if last else None,
        "suppressed": [],
    }
    suppress(row, ("median_participants_7d_90d",), group, inputs.options.min_group)
    if last is not None and last["participants"] is None:
        blank(row, ("last_month_participants",))
    return row
