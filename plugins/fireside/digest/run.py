"""One digest run: choose, render, then preview, write (``--dry-run``) or send.

Order when sending: the email first, then the Teams card, then the state. A failed email
stops the run before Teams and leaves the state as it was, so the next run sends the same
items; a failed Teams post after a delivered email is reported, and the state advances
(the email went out, and nothing may appear twice).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from fireside.core.settings import DiscussionSettings
from fireside.core.site import Site
from fireside.digest.email_html import render_html
from fireside.digest.email_text import render_text
from fireside.digest.selection import Digest, select
from fireside.digest.settings import DigestSettings
from fireside.digest.smtp import DeliveryError, build_message, message_bytes, send_message
from fireside.digest.state import STATE_FILE, DigestState, DigestStateError, is_due
from fireside.digest.teams_card import TeamsResult, build_payload, payload_bytes, post_card
from fireside.discussions.snapshots import format_time

__all__ = ["DigestInputs", "DigestOutcome", "run_digest"]


@dataclass(frozen=True)
class DigestInputs:
    """Everything a digest run reads, loaded once from ``mkdocs.yml`` and the content."""

    site: Site
    docs_dir: Path
    discussions: DiscussionSettings
    settings: DigestSettings
    site_url: str
    hidden: frozenset[str] = frozenset()
    language: str = "en"

    @property
    def state_path(self) -> Path:
        """``<snapshots>/_digest.json``, beside the sync and publish state."""
        return self.discussions.snapshots / STATE_FILE


@dataclass
class DigestOutcome:
    """What a run did; ``lines()`` for people, ``to_json()`` for the publish report."""

    status: str
    """``sent``, ``nothing``, ``not_due``, ``not_configured``, ``preview``, ``dry_run`` or
    ``failed``."""
    reason: str | None = None
    digest: Digest | None = None
    recipients: int = 0
    refused: Mapping[str, str] = field(default_factory=dict)
    teams: TeamsResult | None = None
    files: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 done (or nothing to do), 1 failed with nothing sent, 2 email sent, Teams failed."""
        if self.status == "failed":
            return 1
        return 2 if self.teams is not None and self.teams.status != "posted" and \
            self.status == "sent" else 0

    def warnings(self) -> list[str]:
        """What the publish report lists as warnings (never a secret)."""
        out = []
        if self.status == "failed":
            out.append(f"digest not sent: {self.reason}; the next publish tries again")
        if self.teams is not None and self.teams.status != "posted":
            out.append(f"digest Teams post {self.teams.status}: {self.teams.reason}")
        out.extend(f"digest: {address} refused: {why}" for address, why in self.refused.items())
        return out

    def lines(self) -> list[str]:
        """The human summary."""
        digest = self.digest
        what = digest.summary() if digest else ""
        if self.status == "sent":
            head = "digest: sent"
            if self.recipients:
                head += f" {what} to {self.recipients} " \
                        f"{'address' if self.recipients == 1 else 'addresses'}"
            else:
                head += f" {what}"
            teams = self.teams
            if teams is not None:
                head += "; Teams: posted" if teams.status == "posted" else \
                    f"; Teams: {teams.status} ({teams.reason})"
            out = [head]
        elif self.status in ("preview", "dry_run"):
            out = [f"digest ({'dry run' if self.status == 'dry_run' else 'preview'}): would "
                   f"send {what}" + (f" ({digest.period_label})" if digest else "")]
        else:
            out = [f"digest: not sent: {self.reason}"]
        out.extend(f"  wrote {path}" for path in self.files)
        if digest is not None and self.status in ("preview", "dry_run", "sent"):
            out.extend(f"  new: {p.item.title} ({p.item.url})" for p in digest.posts)
            if digest.more_posts:
                out.append(f"  … and {digest.more_posts} more new posts")
            out.extend(f"  discussed: {d.title} ({d.new_replies} new replies)"
                       for d in digest.discussed)
            out.extend(f"  answered: {a.question}" for a in digest.answered)
            out.extend(f"  open Q&A: {s.title}" for s in digest.sessions)
        return out

    def to_json(self) -> dict[str, Any]:
        """Plain data for the publish report."""
        digest = self.digest
        return {
            "status": self.status,
            "reason": self.reason,
            "recipients": self.recipients,
            "refused": sorted(self.refused),
            "teams": None if self.teams is None else {"status": self.teams.status,
                                                      "reason": self.teams.reason,
                                                      "attempts": self.teams.attempts},
            "since": format_time(digest.since) if digest else None,
            "items": {kind: list(keys) for kind, keys in digest.shown.items()} if digest
            else {},
        }


def run_digest(inputs: DigestInputs, *, send: bool = False, dry_run: Path | None = None,
               since: dt.datetime | None = None, if_due: bool = False,
               env: Mapping[str, str] | None = None, session: requests.Session | None = None,
               sleep: Callable[[float], None] | None = None) -> DigestOutcome:
    """Choose the digest and preview, write or send it.

    Arguments:
        inputs: The site, settings and snapshots.
        send: Deliver (email, then Teams) and record what was sent.
        dry_run: Write the ``.eml``, an HTML preview, the text and the card JSON here instead.
        since: Start of the period (default: the last digest sent).
        if_due: Only when no digest went out yet this week (or day): the publish pipeline.
        env: Where the secrets are (default ``os.environ``).
        session, sleep: Injected into the Teams transport (tests).
    """
    env = os.environ if env is None else env
    settings = inputs.settings
    if settings.smtp is None and settings.teams is None:
        return DigestOutcome("not_configured", "no digest configured (add 'digest:' with "
                             "smtp or teams_webhook_env to the fireside plugin options)")
    if (send or if_due) and not settings.enabled:
        return DigestOutcome("not_configured", "the digest is turned off (digest.enabled: "
                             "false)")
    if not inputs.site_url:
        return DigestOutcome("failed", "the digest needs absolute links: set site_url in "
                             "mkdocs.yml")
    try:
        state = DigestState.load(inputs.state_path)
    except DigestStateError as exc:
        return DigestOutcome("failed", str(exc))
    now = inputs.site.options.now
    tz = inputs.site.options.timezone
    if if_due and not is_due(state, settings.schedule, now, tz) and state.last_sent_at:
        last = state.last_sent_at.astimezone(tz)
        return DigestOutcome("not_due", f"not due: the {settings.schedule} digest went out on "
                             f"{last:%Y-%m-%d %H:%M}")
    digest = select(inputs.site, settings, inputs.discussions, docs_dir=inputs.docs_dir,
                    state=state, site_url=inputs.site_url, hidden=inputs.hidden, since=since)
    if digest.empty:
        start = digest.since.astimezone(tz)
        return DigestOutcome("nothing", f"nothing new since {start:%Y-%m-%d %H:%M}",
                             digest=digest)
    html = render_html(digest, unsubscribe=settings.unsubscribe, language=inputs.language)
    text = render_text(digest, unsubscribe=settings.unsubscribe)
    message = build_message(digest, settings, html=html, text=text) if settings.smtp else None
    payload = build_payload(digest) if settings.teams else None
    if dry_run is not None:
        outcome = DigestOutcome("dry_run", digest=digest)
        stem = f"digest-{now.astimezone(tz):%Y-%m-%d}"
        dry_run.mkdir(parents=True, exist_ok=True)
        files = {f"{stem}.html": html.encode("utf-8"), f"{stem}.txt": text.encode("utf-8")}
        if message is not None:
            files[f"{stem}.eml"] = message_bytes(message)
        if payload is not None:
            files[f"{stem}-teams.json"] = json.dumps(payload, indent=2,
                                                     ensure_ascii=False).encode("utf-8")
        for name, data in files.items():
            (dry_run / name).write_bytes(data)
            outcome.files.append(dry_run / name)
        return outcome
    if not send:
        return DigestOutcome("preview", digest=digest)
    outcome = DigestOutcome("sent", digest=digest)
    if message is not None and settings.smtp is not None:
        try:
            delivery = send_message(message, settings.smtp, env=env)
        except DeliveryError as exc:
            return DigestOutcome("failed", str(exc), digest=digest)
        outcome.recipients, outcome.refused = len(delivery.accepted), delivery.refused
    if payload is not None and settings.teams is not None:
        url = env.get(settings.teams.webhook_env, "").strip()
        if not url:
            outcome.teams = TeamsResult("skipped", f"${settings.teams.webhook_env} is not set")
        else:
            outcome.teams = post_card(url, payload, settings.teams, session=session,
                                      **({"sleep": sleep} if sleep else {}))
        if message is None and outcome.teams.status != "posted":
            return DigestOutcome("failed", f"the Teams post {outcome.teams.status}: "
                                 f"{outcome.teams.reason}", digest=digest, teams=outcome.teams)
    record = {"since": format_time(digest.since), "items": digest.item_count,
              "recipients": outcome.recipients,
              "teams": outcome.teams.status if outcome.teams else None,
              "card_bytes": len(payload_bytes(payload)) if payload else None}
    state.advanced(sent_at=now, items=digest.shown, record=record).save(inputs.state_path)
    return outcome
