"""The adapter boundary: every platform string is made safe to store before anything else.

Adapters return what the platform sent. ``normalise`` then cleans each string (an unpaired
surrogate becomes U+FFFD, control characters go) and caps each body's size and nesting
(``fireside.discussions.bodylimits``), once, before the snapshot is compared and written. A
new platform adapter gets this without doing anything.
"""

from __future__ import annotations

import dataclasses
import logging

from fireside.discussions.bodylimits import MAX_NAME_CHARS, clean_text, limit_body
from fireside.discussions.snapshots import Reply, Thread
from fireside_sync.platforms.base import Fetched

log = logging.getLogger("fireside_sync")


def normalise(fetched: Fetched) -> Fetched:
    """``fetched`` with every string of its thread cleaned and every body bounded."""
    thread = fetched.thread
    replies = tuple(_reply(thread, r) for r in thread.replies)
    clean = dataclasses.replace(thread, url=clean_text(thread.url), replies=replies)
    return dataclasses.replace(fetched, thread=clean)


def _reply(thread: Thread, reply: Reply) -> Reply:
    body, cut = limit_body(clean_text(reply.body), reply.body_format)
    if cut:
        log.info("cut reply %s of %s:%s to the body limits (it was %d characters)", reply.id,
                 thread.platform, thread.thread_id, len(reply.body))
    return dataclasses.replace(
        reply, id=clean_text(reply.id), author_id=clean_text(reply.author_id),
        parent_id=clean_text(reply.parent_id) if reply.parent_id is not None else None,
        author_name=clean_text(reply.author_name)[:MAX_NAME_CHARS], body=body,
        mentions=tuple(clean_text(m) for m in reply.mentions))
