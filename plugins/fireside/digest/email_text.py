"""The digest's plain-text part: the same content as the HTML, every link written out."""

from __future__ import annotations

import textwrap

from fireside.digest.selection import Digest

__all__ = ["render_text"]

_WIDTH = 72


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    start = indent if first is None else first
    return textwrap.wrap(text, _WIDTH, initial_indent=start, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [start.rstrip()]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def render_text(digest: Digest, *, unsubscribe: str | None) -> str:
    """Return the text part (UTF-8, lines of at most 72 characters except long URLs)."""
    lines = [digest.blog_title, digest.title, f"{digest.period_label} · {digest.summary()}", ""]
    for paragraph in (p.strip() for p in digest.intro.split("\n\n")):
        if paragraph:
            lines += [*_wrap(paragraph, ""), ""]
    if digest.posts:
        lines += ["NEW POSTS", ""]
        for post in digest.posts:
            byline = ", ".join(a.name for a in post.authors)
            if len(post.authors) == 1 and post.authors[0].role:
                byline += f", {post.authors[0].role}"
            meta = f"{byline} · {post.date_label}"
            if post.item.comment_count:
                meta += " · " + _plural(post.item.comment_count, "reply", "replies")
            lines += [f"* {post.item.title}", *_wrap(meta), *_wrap(post.summary),
                      f"  Read the post: {post.item.url}"]
            if post.item.comments_url:
                lines.append(f"  Join the discussion: {post.item.comments_url}")
            lines.append("")
        if digest.more_posts:
            lines += [f"And {_plural(digest.more_posts, 'more post', 'more posts')} on the "
                      f"blog: {digest.blog_url}", ""]
    if digest.discussed:
        lines += ["MOST DISCUSSED", ""]
        for item in digest.discussed:
            lines += [f"* {item.title}",
                      f"  {_plural(item.new_replies, 'new reply', 'new replies')} "
                      f"({item.replies} in all)", f"  {item.url}"]
            if item.discussion_url:
                lines.append(f"  Join the discussion on {item.platform_name}: "
                             f"{item.discussion_url}")
            lines.append("")
    if digest.answered:
        lines += ["NEWLY ANSWERED", ""]
        for answer in digest.answered:
            lines += [*_wrap(answer.question, first="* "), *_wrap(answer.session_title)]
            if answer.answer:
                lines += _wrap(f"{answer.answered_by}: {answer.answer}", "  > ")
            lines += [f"  {answer.url}", ""]
        if digest.more_answered:
            lines += [f"And {_plural(digest.more_answered, 'more answer', 'more answers')} on "
                      "the Q&A pages.", ""]
    if digest.sessions:
        lines += ["OPEN Q&A SESSIONS", ""]
        for session in digest.sessions:
            meta = f"With {', '.join(session.hosts)}"
            if session.questions:
                meta += (f" · {_plural(session.questions, 'question', 'questions')}, "
                         f"{session.answered} answered")
            lines += [f"* {session.title}", *_wrap(meta), *_wrap(session.summary),
                      f"  Ask a question: {session.url}", ""]
    lines += [f"Open the blog: {digest.blog_url}", "", "-- ",
              f"You receive the {digest.blog_title} digest through your team's mailing list."]
    if unsubscribe:
        lines.append(f"Unsubscribe: {unsubscribe.removeprefix('mailto:')}")
    lines.append("This email has no tracking.")
    return "\n".join(lines) + "\n"
