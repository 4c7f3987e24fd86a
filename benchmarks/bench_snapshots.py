"""Discussion snapshots for the build benchmark: one realistic thread per post.

``bench_build.py`` imports ``write_snapshot`` (a post's thread: 20 replies by default, HTML and
text bodies, a few nested, one from an executive) and ``write_qa_snapshot`` (a Q&A session's
thread: top-level questions, most answered by the host); both deterministic for a given index.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from fireside.discussions.snapshots import Reply, SnapshotStore, Thread, Totals

_START = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)
_WORDS = ("team", "customers", "plan", "quarter", "results", "thanks", "question", "safety",
          "growth", "people", "site", "service", "pump", "delivery", "training", "budget",
          "office", "hybrid", "values", "priority")


def _body(rng: random.Random, html: bool) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(12, 60)))
    if html:
        return (f"<p>{words[:40]} <strong>{rng.choice(_WORDS)}</strong> {words[40:]}</p>"
                f'<p>See <a href="https://intranet.example.com/{rng.choice(_WORDS)}">this</a>.</p>')
    return f"{words}\n\n{rng.choice(_WORDS)} < {rng.choice(_WORDS)} & more"


HOST_ID = "1500000001"
"""The platform id of the corpus's first author (``ceo``), who answers as the host."""


def write_snapshot(directory: Path, thread_id: str, index: int, replies: int = 20) -> None:
    """Write the snapshot of ``thread_id`` (``replies`` replies) into ``directory``."""
    rng = random.Random(index)
    created = _START + dt.timedelta(days=index % 700)
    shown: list[Reply] = []
    for n in range(replies):
        parent = shown[rng.randrange(len(shown))].id if shown and rng.random() < 0.3 \
            else None
        host, html = n == 3, rng.random() < 0.7
        shown.append(Reply(
            id=str(int(thread_id) * 100 + n), parent_id=parent,
            author_id=HOST_ID if host else str(1_600_000_000 + rng.randrange(400)),
            author_name="Bench Executive" if host else f"Colleague {rng.randrange(400)}",
            created=created + dt.timedelta(minutes=17 * n), body=_body(rng, html),
            body_format="html" if html else "text", likes=rng.randrange(30),
            is_host=host))
    SnapshotStore(directory).save(Thread(
        platform="yammer", thread_id=thread_id,
        url=f"https://www.yammer.com/#/threads/show?threadId={thread_id}",
        content_changed_at=created + dt.timedelta(days=2),
        totals=Totals(len(shown), rng.randrange(80), len({r.author_id for r in shown})),
        replies=tuple(shown)))


def write_qa_snapshot(directory: Path, thread_id: str, index: int, questions: int = 100) -> None:
    """Write a Q&A thread: ``questions`` top-level questions, two in three answered by the host."""
    rng = random.Random(10_000 + index)
    created = _START + dt.timedelta(days=index)
    replies: list[Reply] = []
    for n in range(questions):
        asked = created + dt.timedelta(minutes=7 * n)
        question = Reply(
            id=str(int(thread_id) * 1000 + 2 * n), parent_id=None,
            author_id=str(1_600_000_000 + rng.randrange(400)),
            author_name=f"Colleague {rng.randrange(400)}", created=asked,
            body=_body(rng, False) + "?", body_format="text", likes=rng.randrange(60),
            is_host=False)
        replies.append(question)
        if n % 3:
            replies.append(Reply(
                id=str(int(thread_id) * 1000 + 2 * n + 1), parent_id=question.id,
                author_id=HOST_ID, author_name="Bench Executive",
                created=asked + dt.timedelta(hours=2 + n % 5), body=_body(rng, True),
                body_format="html", likes=rng.randrange(30), is_host=True))
    SnapshotStore(directory).save(Thread(
        platform="yammer", thread_id=thread_id,
        url=f"https://www.yammer.com/#/threads/show?threadId={thread_id}",
        content_changed_at=created + dt.timedelta(days=3),
        totals=Totals(len(replies), rng.randrange(80), len({r.author_id for r in replies})),
        replies=tuple(sorted(replies, key=lambda r: (r.created, r.id)))))
