"""The HTML of one reply card (a post's top replies, a Q&A question), written in Python.

Every post page shows a few replies; as a Jinja macro the cards were a fifth of a post page's
render. ``partials/fireside/reply.html`` calls :func:`reply_html`, so a theme can still replace
the macro. Platform text is escaped here; ``body`` is already sanitized HTML
(``discussions/sanitize.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from markupsafe import Markup, escape

from fireside.core.i18n import Translator
from fireside.discussions.panel import ShownReply

__all__ = ["reply_html"]


def reply_html(reply: ShownReply, translator: Translator, tz: dt.tzinfo,
               iso: Callable[[dt.datetime | None], str]) -> Markup:
    """``<li class="fs-reply">`` with the card, and executives' answers beneath it."""
    t: Callable[..., str] = translator.t
    badges = []
    if reply.executive:
        role = t("Executive") if reply.executive == "Executive" else reply.executive
        badges.append(f'<span class="fs-badge fs-badge--exec">{escape(role)}</span>')
    if reply.platform_name:
        badges.append('<span class="fs-badge fs-badge--platform">'
                      f'{escape(t("on {platform}", platform=reply.platform_name))}</span>')
    answers = ""
    if reply.answers:
        label = escape(t("Answers from the leadership team"))
        inner = "".join(reply_html(a, translator, tz, iso) for a in reply.answers)
        answers = f'<ol class="fs-replies fs-replies--answers" aria-label="{label}">{inner}</ol>'
    return Markup(_CARD.format(
        exec=" fs-reply--exec" if reply.executive else "",
        label=escape(t("Reply by {name}", name=reply.author_name)),
        hue=escape(reply.hue), initials=escape(reply.initials),
        author=escape(reply.author_name), badges="".join(badges),
        iso=escape(iso(reply.created)), date=escape(translator.date(reply.created, tz)),
        body=reply.body, likes=escape(translator.n(reply.likes, "{n} like", "{n} likes")),
        answers=answers))


_CARD = (
    '<li class="fs-reply{exec}">\n'
    '  <article class="fs-reply__card" aria-label="{label}">\n'
    '    <header class="fs-reply__head">\n'
    '      <span class="fs-initials fs-initials--{hue}" aria-hidden="true">{initials}</span>\n'
    '      <span class="fs-reply__who">\n'
    '        <span class="fs-reply__author">{author}</span>{badges}\n'
    '      </span>\n'
    '      <time class="fs-reply__date" datetime="{iso}">{date}</time>\n'
    '    </header>\n'
    '    <div class="fs-reply__body">{body}</div>\n'
    '    <p class="fs-reply__likes">{likes}</p>\n'
    '  </article>{answers}\n'
    '</li>\n')

