"""Each platform's bearer token: a ready one from the environment, or one from Microsoft Entra ID.

Entra tokens come from msal, never from hand-written OAuth:

- ``client_secret_env``: app-only with a client secret (client credentials; Graph accepts it);
- a certificate: app-only with a signed client assertion (SharePoint REST refuses secrets);
- otherwise a delegated sign-in, made once with ``fireside login`` (device code) and kept in
  an msal token cache that sync refreshes silently (Viva Engage accepts delegated tokens only).

Every failure is a ``ConfigError`` (exit 1, nothing written) that names the platform and what
to do. Tokens, secrets and refresh tokens are never part of a message or a log line.
"""

from __future__ import annotations

import os
import tempfile
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msal  # type: ignore[import-untyped]
import requests

from fireside.core.settings import EntraSettings, PlatformSettings, Settings
from fireside.discussions.platforms import display_name
from fireside_sync.errors import ConfigError

__all__ = ["EntraSignIn", "bearer_token", "forbidden_cache_folders"]


def bearer_token(platform: PlatformSettings, env: Mapping[str, str], *,
                 forbidden: Iterable[Path] = ()) -> str:
    """The token to send to ``platform``'s API.

    Arguments:
        platform: The platform's settings (``token_env`` or ``entra``).
        env: The environment (variables named in the settings are read from it).
        forbidden: Folders a token cache must not be in (the site, content and snapshots).

    Raises:
        ConfigError: No usable credential; the message says what to fix.
    """
    if platform.entra is None:
        token = env.get(platform.token_env, "").strip()
        if not token:
            raise ConfigError(f"the environment variable {platform.token_env} is not set; it "
                              f"must hold the {platform.name} API token")
        return token
    sign_in = EntraSignIn(platform, env, forbidden=forbidden)
    try:
        return sign_in.token()
    finally:
        sign_in.close()


def forbidden_cache_folders(settings: Settings) -> tuple[Path, ...]:
    """Where a token cache must never be: the published content, the site and the snapshots."""
    root = settings.config_file.parent if settings.config_file else settings.docs_dir.parent
    return (settings.docs_dir, (root / "site").resolve(), settings.discussions.snapshots)


class EntraSignIn:
    """msal for one platform's ``entra:`` section."""

    def __init__(self, platform: PlatformSettings, env: Mapping[str, str], *,
                 forbidden: Iterable[Path] = ()) -> None:
        assert platform.entra is not None
        self.platform = platform
        self.entra: EntraSettings = platform.entra
        self.env = env
        self.name = display_name(platform.name)
        self.cache = msal.SerializableTokenCache()
        self._session = _EntraSession(env.get("REQUESTS_CA_BUNDLE") or True,
                                      platform.timeout_seconds)
        self._cache_path = self.entra.token_cache
        if self._cache_path is not None:
            _check_cache_place(self._cache_path, forbidden, platform.name)

    @property
    def scopes(self) -> list[str]:
        """The configured scopes, or ``<api_url's origin>/.default``."""
        if self.entra.scopes:
            return list(self.entra.scopes)
        parts = urllib.parse.urlsplit(self.platform.api_url)
        return [f"{parts.scheme}://{parts.netloc}/.default"]

    @property
    def authority(self) -> str:
        """The authority URL with the tenant."""
        return f"{self.entra.authority}/{self.entra.tenant_id}"

    def token(self) -> str:
        """An access token for the platform (from the cache when still valid).

        Raises:
            ConfigError: The credential is missing or refused.
        """
        flow = self.entra.flow
        if flow == "delegated":
            return self._delegated()
        credential = self._secret() if flow == "secret" else self._certificate()
        app = self.call(lambda: msal.ConfidentialClientApplication(
            self.entra.client_id, client_credential=credential, **self._app_options()))
        result = self.call(lambda: app.acquire_token_for_client(self.scopes))
        kind = "client secret" if flow == "secret" else "certificate"
        return self._access_token(result, f"the app registration {self.entra.client_id} "
                                          f"({kind})")

    def public_app(self) -> msal.PublicClientApplication:
        """The msal app of a delegated sign-in, with the token cache loaded."""
        self._load_cache()
        return self.call(lambda: msal.PublicClientApplication(
            self.entra.client_id, **self._app_options()))

    def close(self) -> None:
        """Close the connections to the authority."""
        self._session.close()

    def save_cache(self) -> Path | None:
        """Write the token cache back to its file (mode 0600) if msal changed it."""
        if self._cache_path is None or not self.cache.has_state_changed:
            return None
        write_private(self._cache_path, self.cache.serialize())
        self.cache.has_state_changed = False
        return self._cache_path

    # -- the flows ------------------------------------------------------------------------

    def _delegated(self) -> str:
        app = self.public_app()
        login = f"run 'fireside login {self.platform.name}'"
        accounts = self.call(app.get_accounts)
        if not accounts:
            raise ConfigError(f"{self.platform.name}: no {self.name} sign-in in the token "
                              f"cache; {login} once to sign in")
        result = self.call(lambda: app.acquire_token_silent_with_error(
            self.scopes, account=accounts[0]))
        if not result or "access_token" not in result:
            code = (result or {}).get("error") or "no token"
            raise ConfigError(f"{self.platform.name}: the {self.name} sign-in of "
                              f"{accounts[0].get('username') or 'the sync account'} has expired "
                              f"or was revoked ({code}); {login} again")
        self.save_cache()
        return str(result["access_token"])

    def _secret(self) -> str:
        env_name = str(self.entra.client_secret_env)
        secret = self.env.get(env_name, "").strip()
        if not secret:
            raise ConfigError(f"the environment variable {env_name} is not set; it must hold "
                              f"the client secret of the {self.platform.name} app registration")
        return secret

    def _certificate(self) -> dict[str, str]:
        where = f"fireside.platforms.{self.platform.name}.entra"
        pem_or_path = ""
        if self.entra.certificate_path_env:
            pem_or_path = self.env.get(self.entra.certificate_path_env, "").strip()
            if not pem_or_path:
                raise ConfigError(f"the environment variable {self.entra.certificate_path_env}"
                                  " is not set; it must hold the certificate's path or its PEM")
        elif self.entra.certificate_path:
            pem_or_path = str(self.entra.certificate_path)
        thumbprint = self.entra.certificate_thumbprint or ""
        if self.entra.certificate_thumbprint_env:
            thumbprint = self.env.get(self.entra.certificate_thumbprint_env, "").strip()
            if not thumbprint:
                raise ConfigError(f"the environment variable "
                                  f"{self.entra.certificate_thumbprint_env} is not set; it must "
                                  "hold the certificate's thumbprint")
        thumbprint = thumbprint.replace(":", "").replace(" ", "")
        credential = {"thumbprint": thumbprint}
        if self.entra.certificate_password_env:
            credential["passphrase"] = self.env.get(self.entra.certificate_password_env, "")
        if pem_or_path.startswith("-----BEGIN"):
            return {**credential, "private_key": pem_or_path}
        path = Path(pem_or_path)
        if path.suffix.lower() in (".pfx", ".p12"):
            return {**credential, "private_key_pfx_path": str(path)}
        try:
            pem = path.read_text(encoding="ascii")
        except (OSError, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not a PEM file"
            raise ConfigError(f"option '{where}.certificate_path': cannot read {path} "
                              f"({reason})") from None
        if "PRIVATE KEY-----" not in pem:
            raise ConfigError(f"option '{where}.certificate_path': {path} holds no private "
                              "key; use the PEM with the key (and certificate) or a .pfx file")
        return {**credential, "private_key": pem}

    # -- msal plumbing --------------------------------------------------------------------

    def _app_options(self) -> dict[str, Any]:
        # ``instance_discovery`` asks login.microsoftonline.com whether the authority is one
        # of Microsoft's; the authority here is the site's own configuration (a sovereign
        # cloud, or a test server), so msal reads its OpenID metadata directly.
        return {"authority": self.authority, "token_cache": self.cache,
                "http_client": self._session, "instance_discovery": False}

    def _load_cache(self) -> None:
        text = ""
        if self.entra.token_cache_env and self.env.get(self.entra.token_cache_env, "").strip():
            text = self.env[self.entra.token_cache_env]
        elif self._cache_path is not None and self._cache_path.is_file():
            try:
                text = self._cache_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot read the token cache {self._cache_path}: "
                                  f"{exc.strerror}") from None
        if text:
            try:
                self.cache.deserialize(text)
            except ValueError:
                raise ConfigError(f"{self.platform.name}: the token cache is not msal's; run "
                                  f"'fireside login {self.platform.name}' again") from None

    def call(self, action: Any) -> Any:
        """Run one msal call; transport and discovery failures become a ``ConfigError``."""
        try:
            return action()
        except requests.exceptions.SSLError:
            reason = "the TLS certificate was not trusted"
        except requests.RequestException as exc:
            reason = type(exc).__name__
        except ValueError as exc:  # msal: discovery failed, or a malformed credential
            reason = _first_line(str(exc))
        raise ConfigError(f"{self.platform.name}: cannot reach Microsoft Entra ID at "
                          f"{self.entra.authority} ({reason}); check entra.authority and "
                          "entra.tenant_id")

    def _access_token(self, result: Mapping[str, Any] | None, who: str) -> str:
        if result and "access_token" in result:
            return str(result["access_token"])
        error = (result or {}).get("error") or "no token"
        described = _first_line(str((result or {}).get("error_description") or ""))
        raise ConfigError(f"{self.platform.name}: Microsoft Entra ID refused {who}: {error}"
                          f"{' (' + described + ')' if described else ''}")


class _EntraSession(requests.Session):
    """msal's HTTP session: the run's trust store and a timeout on every call.

    ``verify`` comes from the run's environment (``REQUESTS_CA_BUNDLE``), which tests and
    companies with their own CA set; requests would otherwise let the process environment
    override a session's ``verify``.
    """

    def __init__(self, verify: str | bool, timeout: float) -> None:
        super().__init__()
        self.verify = verify
        self._timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any,
                **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, *args, **kwargs)

    def merge_environment_settings(self, url: str | bytes | None, proxies: Any, stream: Any,
                                   verify: Any, cert: Any) -> Any:
        merged = super().merge_environment_settings(url, proxies, stream, verify, cert)
        merged["verify"] = self.verify if verify is None or verify is True else verify
        return merged


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:200]


def _check_cache_place(path: Path, forbidden: Iterable[Path], platform: str) -> None:
    for folder in forbidden:
        if path.resolve().is_relative_to(folder.resolve()):
            raise ConfigError(f"option 'fireside.platforms.{platform}.entra.token_cache': "
                              f"{path} is inside {folder}, which is published or committed; "
                              "keep the token cache outside the site, the content and the "
                              "snapshots (for example in ~/.config/fireside/)")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable and writable by the owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)
