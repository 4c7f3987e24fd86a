"""Discussion snapshots for the build benchmark: one realistic thread per post.

``bench_build.py`` imports ``write_snapshot``; each thread has 5-24 replies (HTML and text
bodies, a few nested, one from an executive), deterministic for a given index.
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


def write_snapshot(directory: Path, thread_id: str, index: int) -> None:
    """Write the snapshot of ``thread_id`` into ``directory``."""
    rng = random.Random(index)
    created = _START + dt.timedelta(days=index % 700)
    replies: list[Reply] = []
    for n in range(rng.randint(5, 24)):
        parent = replies[rng.randrange(len(replies))].id if replies and rng.random() < 0.3 \
            else None
        host, html = n == 3, rng.random() < 0.7
        replies.append(Reply(
            id=str(int(thread_id) * 100 + n), parent_id=parent,
            author_id="1500000001" if host else str(1_600_000_000 + rng.randrange(400)),
            author_name="Bench Executive" if host else f"Colleague {rng.randrange(400)}",
            created=created + dt.timedelta(minutes=17 * n), body=_body(rng, html),
            body_format="html" if html else "text", likes=rng.randrange(30),
            is_host=host))
    SnapshotStore(directory).save(Thread(
        platform="yammer", thread_id=thread_id,
        url=f"https://www.yammer.com/#/threads/show?threadId={thread_id}",
        content_changed_at=created + dt.timedelta(days=2),
        totals=Totals(len(replies), rng.randrange(80), len({r.author_id for r in replies})),
        replies=tuple(replies)))
