"""One loopback server per platform (Slack, Discourse, Jive, Chatter) and a hostile thread on
each, for the end-to-end tests that run ``fireside sync`` and then a real ``mkdocs build``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.fakeplatform import chatter, discourse, jive, slack
from tests.fakeplatform.apifake import Loopback, Scripted

T0 = dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC)
#: ``.authors.yml`` ids of the CEO on each platform (Chatter's in its 15-character form).
CEO_IDS = {"slack": "U0EXEC001", "discourse": 5, "jive": "2001", "chatter": "005Hs00000LmNoP"}


def at(minutes: int) -> dt.datetime:
    """``T0`` plus some minutes."""
    return T0 + dt.timedelta(minutes=minutes)


@dataclass
class Case:
    """How to run one platform's fake and what a thread on it looks like."""

    name: str
    make: Callable[[], Loopback]
    secret: str
    seed: Callable[[Any, int], str]
    """Add thread number ``n`` (hostile when ``n == 0``) and return its ``discussion:`` link."""
    storm: Scripted
    """The platform's throttling answer."""
    hostile_shown: tuple[str, ...]
    """Text of the hostile reply that must be visible on the page (escaped as HTML)."""
    forbidden: tuple[str, ...] = ("javascript:", "onerror", "onclick", "onmouseover", "<iframe",
                                  "<script>alert", "evil.example")
    section: dict[str, Any] = field(default_factory=dict)

    @property
    def env(self) -> str:
        """The environment variable holding the secret."""
        return f"FIRESIDE_TEST_{self.name.upper()}_SECRET"

    @contextmanager
    def serve(self) -> Iterator[Any]:
        """The fake, serving on 127.0.0.1."""
        with self.make() as fake:
            yield fake


# -- Slack ---------------------------------------------------------------------------------------

SLACK_TOKEN = "xoxp-SENTINEL-slack-4b1d"


def _slack_seed(fake: slack.FakeSlack, n: int) -> str:
    channel, parent = "C0LEAD001", slack.ts_of(at(n * 100))
    text = ("Thanks <@U0EXEC001>! <javascript:alert(document.cookie)|Claim your bonus> and "
            "<https://intranet.northwind.example/q2|the Q2 plan> &lt;img src=x "
            "onerror=alert(1)&gt;") if n == 0 else f"Reply one on thread {n}"
    fake.add_thread(channel, [
        slack.msg(parent, "U0EXEC001", "New post: our Q2 priorities", reactions=[("tada", 4)]),
        slack.msg(slack.ts_of(at(n * 100 + 5)), "U0ANA0001", text, thread_ts=parent,
                  reactions=[("+1", 9), ("heart", 2)]),
        slack.msg(slack.ts_of(at(n * 100 + 6)), "U0EXEC001", "Thanks all", thread_ts=parent),
    ], [slack.person("U0ANA0001", "Ana Ruiz"), slack.person("U0EXEC001", "Dana Whitfield")])
    return f"https://northwind.slack.com/archives/{channel}/p{parent.replace('.', '')}"


# -- Discourse -----------------------------------------------------------------------------------

DISCOURSE_KEY = "SENTINEL-discourse-key-77aa"


def _discourse_seed(fake: discourse.FakeDiscourse, n: int) -> str:
    topic = 4240 + n
    cooked = ('<p>Strong plan <img src="x" onerror="alert(1)"> <a href="javascript:alert(2)" '
              'onclick="steal()">Read the appendix</a><script>alert(3)</script></p>') \
        if n == 0 else f"<p>Reply one on topic {topic}</p>"
    fake.add_topic(topic, f"Q2 priorities {n}", [
        discourse.post(topic * 10, 1, 5, "Dana Whitfield", at(0), "<p>Q2</p>", likes=6),
        discourse.post(topic * 10 + 1, 2, 77, "Ana Ruiz", at(5), cooked, likes=11),
        discourse.post(topic * 10 + 2, 3, 5, "Dana Whitfield", at(6), "<p>Thanks all</p>",
                       reply_to=2),
    ])
    return f"{fake.root}/forum/t/q2-priorities-{n}/{topic}"


# -- Jive ----------------------------------------------------------------------------------------

JIVE_TOKEN = "SENTINEL-jive-token-91c2"


def _jive_seed(fake: jive.FakeJive, n: int) -> str:
    content, object_id = str(88010 + n), 12340 + n
    html = ('<p>See the plan</p><iframe src="https://evil.example/x"></iframe>'
            '<p onmouseover="alert(1)">Hover for details</p>') if n == 0 \
        else f"<p>Reply one on discussion {object_id}</p>"
    fake.add_content(content, "discussion", object_id, f"Q2 {n}", [
        fake.reply(content, f"{content}1", ("2044", "Lena Park"), at(5), html, likes=8,
                   kind="message"),
        fake.reply(content, f"{content}2", ("2001", "Dana Whitfield"), at(6),
                   "<p>Thanks all</p>", parent=f"{content}1", kind="message"),
    ], likes=5)
    return f"{fake.root}/thread/{object_id}"


# -- Chatter -------------------------------------------------------------------------------------

CHATTER_TOKEN = "00DSENTINEL!chatter-token-5e"


def _chatter_id(n: int) -> str:
    from fireside.discussions.platforms.chatter import to_18

    return to_18(f"0D5Hs00000Ab{n:03d}")


def _chatter_seed(fake: chatter.FakeChatter, n: int) -> str:
    ident = _chatter_id(n)
    segments: list[dict[str, Any]] = [
        chatter.segment_text("Agreed, "),
        {"type": "Mention", "text": "@Dana Whitfield", "name": "Dana Whitfield",
         "record": {"id": "005Hs00000LmNoPIAV", "displayName": "Dana Whitfield"}},
        chatter.segment_text(". "),
        {"type": "Link", "url": "javascript:alert(1)", "text": "Open the dashboard"},
        chatter.segment_text(" <script>alert(2)</script> "),
        {"type": "MarkupBegin", "markupType": "Hyperlink", "url": "javascript:alert(3)"},
        chatter.segment_text("details"),
        {"type": "MarkupEnd", "markupType": "Hyperlink"},
    ] if n == 0 else [chatter.segment_text(f"Reply one on post {n}")]
    fake.add_post(ident, [
        chatter.comment(f"0D7Hs00000Qr{n:03d}1AAA", ("005Hs00000OmarHIAV", "Omar Haddad"),
                        at(5), segments, likes=7),
        chatter.comment(f"0D7Hs00000Qr{n:03d}2AAA", ("005Hs00000LmNoPIAV", "Dana Whitfield"),
                        at(6), [chatter.segment_text("Thanks all")]),
    ], likes=4)
    return f"https://northwind.lightning.force.com/lightning/r/FeedItem/{ident[:15]}/view"


CASES = [
    Case("slack", lambda: slack.FakeSlack(SLACK_TOKEN), SLACK_TOKEN, _slack_seed,
         Scripted(429, b'{"ok": false, "error": "ratelimited"}', {"Retry-After": "0"}),
         ("Claim your bonus", "&lt;img src=x onerror=alert(1)&gt;", "the Q2 plan"),
         forbidden=("javascript:", "<img", "evil.example")),
    Case("discourse", lambda: discourse.FakeDiscourse(DISCOURSE_KEY, "fireside-bot"),
         DISCOURSE_KEY, _discourse_seed, discourse.rate_limited(0),
         ("Strong plan", "Read the appendix"), section={"username": "fireside-bot"}),
    Case("jive", lambda: jive.FakeJive(JIVE_TOKEN), JIVE_TOKEN, _jive_seed,
         Scripted(503, jive.PREFIX + b'{"error": {"status": 503, "message": "busy"}}'),
         ("See the plan", "Hover for details")),
    Case("chatter", lambda: chatter.FakeChatter(CHATTER_TOKEN), CHATTER_TOKEN, _chatter_seed,
         chatter.THROTTLED, ("Open the dashboard", "&lt;script&gt;alert(2)&lt;/script&gt;",
                             "details", "@Dana Whitfield"),
         forbidden=("javascript:", "<script>alert", "onerror")),
]
