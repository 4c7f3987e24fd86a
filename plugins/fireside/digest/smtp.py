"""The digest as an email message, and its delivery through the company's SMTP relay.

``build_message`` makes one ``multipart/alternative`` message (text, then HTML) addressed to
every ``to`` address (distribution lists, typically). ``send_message`` delivers it with
``smtplib``: STARTTLS on a plain connection (port 587) or TLS from the start (465), a login
from environment variables, certificates checked against the system's CAs or ``ca_file``.

Every failure becomes a ``DeliveryError`` whose message names the server and the fix, and
never a secret: the caller then leaves the digest state untouched, so nothing is skipped.
"""

from __future__ import annotations

import email.utils
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP

from fireside.digest.selection import Digest
from fireside.digest.settings import DigestSettings, SmtpSettings

__all__ = ["Delivery", "DeliveryError", "build_message", "message_bytes", "send_message"]


class DeliveryError(Exception):
    """The digest could not be delivered; ``str()`` is the message for people."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind
        """``config``, ``auth``, ``tls``, ``connection``, ``refused`` or ``smtp``."""


@dataclass(frozen=True)
class Delivery:
    """What the relay accepted."""

    accepted: tuple[str, ...]
    refused: Mapping[str, str]
    """Address → the relay's answer, for recipients it refused while accepting others."""


def build_message(digest: Digest, settings: DigestSettings, *, html: str,
                  text: str) -> EmailMessage:
    """Return the digest email: ``multipart/alternative`` with a text and an HTML part."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = digest.title
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = email.utils.format_datetime(digest.until)
    domain = email.utils.parseaddr(settings.sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = email.utils.make_msgid("fireside-digest", domain=domain)
    if settings.unsubscribe:
        message["List-Unsubscribe"] = f"<{settings.unsubscribe}>"
    # Automatic mail: no out-of-office replies from a whole distribution list (RFC 3834, and
    # Exchange's own header).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire (CRLF line ends), also what ``.eml`` files hold."""
    return message.as_bytes(policy=SMTP)


def _credentials(smtp: SmtpSettings, env: Mapping[str, str]) -> tuple[str, str] | None:
    if not smtp.username_env or not smtp.password_env:
        return None
    missing = [name for name in (smtp.username_env, smtp.password_env) if not env.get(name)]
    if missing:
        raise DeliveryError(f"the SMTP login is not set: define {' and '.join(missing)} (the "
                            "variables named by digest.smtp.username_env and password_env)",
                            kind="config")
    return env[smtp.username_env], env[smtp.password_env]


def send_message(message: EmailMessage, smtp: SmtpSettings, *,
                 env: Mapping[str, str] | None = None) -> Delivery:
    """Deliver ``message`` to every address of its ``To`` header.

    Raises:
        DeliveryError: Nothing was delivered; the message says why and what to check.
    """
    login = _credentials(smtp, os.environ if env is None else env)
    sender = email.utils.parseaddr(str(message["From"]))[1]
    recipients = [address for _, address in email.utils.getaddresses([str(message["To"])])]
    where = f"{smtp.host}:{smtp.port}"
    try:
        context = ssl.create_default_context(
            cafile=str(smtp.ca_file) if smtp.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryError(f"cannot read digest.smtp.ca_file {smtp.ca_file}: "
                            f"{getattr(exc, 'strerror', None) or exc}", kind="config") from None
    try:
        client = (smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds,
                                   context=context) if smtp.implicit_tls
                  else smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds))
        with client:
            client.ehlo()
            if smtp.starttls:
                if not client.has_extn("starttls"):
                    raise DeliveryError(f"the SMTP server {where} does not offer STARTTLS; set "
                                        "digest.smtp.implicit_tls: true if it expects TLS from "
                                        "the start (port 465)", kind="tls")
                client.starttls(context=context)
                client.ehlo()
            if login is not None:
                client.login(*login)
            refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"the SMTP server {where} refused the login ({exc.smtp_code} "
                            f"{_text(exc.smtp_error)}); check {smtp.username_env} and "
                            f"{smtp.password_env}", kind="auth") from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(f"the SMTP server {where} does not accept a login here; remove "
                            "digest.smtp.username_env/password_env, or enable STARTTLS",
                            kind="auth") from None
    except smtplib.SMTPRecipientsRefused as exc:
        answers = "; ".join(f"{rcpt}: {code} {_text(text)}"
                            for rcpt, (code, text) in exc.recipients.items())
        raise DeliveryError(f"the SMTP server {where} refused every recipient ({answers})",
                            kind="refused") from None
    except smtplib.SMTPSenderRefused as exc:
        raise DeliveryError(f"the SMTP server {where} refused the sender {exc.sender} "
                            f"({exc.smtp_code} {_text(exc.smtp_error)}); check digest.from",
                            kind="refused") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"the SMTP server {where} answered {exc.smtp_code} "
                            f"{_text(exc.smtp_error)}", kind="smtp") from None
    except smtplib.SMTPServerDisconnected:
        raise DeliveryError(f"the SMTP server {where} closed the connection", kind="smtp") \
            from None
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"the SMTP server {where} failed: {exc}", kind="smtp") from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(f"the TLS certificate of {where} is not trusted "
                            f"({exc.verify_message}); set digest.smtp.ca_file to the CA that "
                            "signs it", kind="tls") from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {where} failed ({exc.reason or exc}); check the port "
                            "and starttls/implicit_tls", kind="tls") from None
    except TimeoutError:
        raise DeliveryError(f"no answer from the SMTP server {where} within "
                            f"{smtp.timeout_seconds:g} s", kind="connection") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DeliveryError(f"could not connect to the SMTP server {where} ({reason}); check "
                            "digest.smtp.host and port", kind="connection") from None
    accepted = tuple(r for r in recipients if r not in refused)
    return Delivery(accepted, {k: f"{code} {_text(text)}" for k, (code, text) in
                               refused.items()})


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
