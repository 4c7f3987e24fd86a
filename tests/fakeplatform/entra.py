"""A loopback Microsoft Entra ID (v2.0 endpoints) over HTTPS, for msal.

Serves what msal asks of an authority ``https://127.0.0.1:<port>/<tenant>``:

- ``GET /{tenant}/v2.0/.well-known/openid-configuration`` (tenant discovery);
- ``POST /{tenant}/oauth2/v2.0/devicecode`` (device code flow, started by ``fireside login``);
- ``POST /{tenant}/oauth2/v2.0/token`` for ``client_credentials`` (with a client secret or a
  certificate-signed ``client_assertion``, verified against the registered certificate),
  the device code grant (``authorization_pending`` for the first polls, then tokens with an
  ``id_token`` and ``client_info``), and ``refresh_token`` (rotated on each use; revoked ones
  answer ``invalid_grant``).

Errors use Entra's shape: ``{"error", "error_description": "AADSTS…", "error_codes", …}``.
Issued access tokens are recorded per resource (``tokens_for``), which the resource fakes
accept: a token for Graph is refused by SharePoint, as in a real tenant.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field

import jwt

from tests.fakeplatform.loopback import (
    Answer,
    ClientCertificate,
    Loopback,
    LoopbackCA,
    Request,
    json_answer,
)

TENANT = "0d3c9a4e-5b1f-4e2a-9c7d-2f6a8b1e4c90"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class App:
    """An app registration: a client secret, a certificate, or a public client."""

    client_id: str
    secret: str | None = None
    certificate: ClientCertificate | None = None


@dataclass
class SignIn:
    """The user a device-code sign-in signs in as."""

    oid: str = "5f2d8c1a-7b3e-4a9d-8e6f-1c2b3a4d5e6f"
    name: str = "Fireside Sync"
    username: str = "fireside.sync@northwind.example"


@dataclass
class Issued:
    """What the server has handed out (tests look for these in every output)."""

    access: list[str] = field(default_factory=list)
    refresh: list[str] = field(default_factory=list)


class FakeEntra(Loopback):
    """The token service of one tenant."""

    def __init__(self, ca: LoopbackCA, *, tenant: str = TENANT) -> None:
        super().__init__(tls=ca.server_context())
        self.tenant = tenant
        self.apps: dict[str, App] = {}
        self.user = SignIn()
        self.pending_polls = 1
        """Device-code polls answered ``authorization_pending`` before the user signs in."""
        self.decline = False
        """The user declines the device-code sign-in (``authorization_declined``)."""
        self.user_token_seconds = 60
        """Delegated access tokens expire this soon, so each sync refreshes (msal keeps a
        5-minute margin)."""
        self.issued = Issued()
        self.revoked: set[str] = set()
        self._resources: dict[str, set[str]] = {}
        self._refresh: set[str] = set()
        self._devices: dict[str, int] = {}

    @property
    def authority(self) -> str:
        """``entra.authority`` (without the tenant)."""
        return self.origin

    def register(self, app: App) -> App:
        """Add an app registration."""
        self.apps[app.client_id] = app
        return app

    def tokens_for(self, resource: str) -> set[str]:
        """The live set of access tokens issued for ``resource`` (an origin)."""
        return self._resources.setdefault(resource.rstrip("/"), set())

    def revoke_all(self) -> None:
        """Revoke every refresh token (a password reset, or an admin's revocation)."""
        self.revoked |= self._refresh
        self._refresh.clear()

    def grants(self) -> list[str]:
        """The grant types requested so far, in order."""
        return [r.form.get("grant_type", "") for r in self.requests
                if r.path.endswith("/oauth2/v2.0/token")]

    # -- answering -----------------------------------------------------------------------

    def route(self, request: Request) -> Answer:
        prefix = f"/{self.tenant}"
        if not request.path.startswith(prefix + "/"):
            return _error(400, "invalid_tenant", 90002,
                          f"Tenant '{request.path.split('/')[1]}' not found.")
        path = request.path[len(prefix):]
        if request.method == "GET" and path == "/v2.0/.well-known/openid-configuration":
            return json_answer(self._metadata())
        if request.method == "POST" and path == "/oauth2/v2.0/devicecode":
            return self._device_code(request)
        if request.method == "POST" and path == "/oauth2/v2.0/token":
            return self._token(request)
        return _error(404, "not_found", 0, "Not found.")

    def _metadata(self) -> dict[str, object]:
        base = f"{self.origin}/{self.tenant}"
        return {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "jwks_uri": f"{self.origin}/{self.tenant}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "token id_token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                      "private_key_jwt", "client_secret_basic"],
            "tenant_region_scope": "EU",
        }

    def _device_code(self, request: Request) -> Answer:
        if request.form.get("client_id") not in self.apps:
            return _error(400, "unauthorized_client", 700016,
                          "Application was not found in the directory.")
        device = secrets.token_urlsafe(24)
        code = "FSD" + secrets.token_hex(3).upper()
        self._devices[device] = 0
        return json_answer({
            "user_code": code, "device_code": device,
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900, "interval": 0,
            "message": f"To sign in, use a web browser to open the page "
                       f"https://microsoft.com/devicelogin and enter the code {code} to "
                       "authenticate."})

    def _token(self, request: Request) -> Answer:
        form = request.form
        app = self.apps.get(form.get("client_id", ""))
        if app is None:
            return _error(400, "unauthorized_client", 700016,
                          f"Application with identifier '{form.get('client_id')}' was not "
                          "found in the directory.")
        resource = _resource(form.get("scope", ""))
        grant = form.get("grant_type")
        if grant == "client_credentials":
            problem = self._check_client(app, form)
            if problem is not None:
                return problem
            return json_answer({"token_type": "Bearer", "expires_in": 3599,
                                "ext_expires_in": 3599,
                                "access_token": self._access(resource)})
        if grant == DEVICE_GRANT:
            device = form.get("device_code", "")
            if device not in self._devices:
                return _error(400, "expired_token", 70019, "Verification code expired.")
            self._devices[device] += 1
            if self._devices[device] <= self.pending_polls:
                return _error(400, "authorization_pending", 70016,
                              "OAuth 2.0 device flow error. Authorization is pending. "
                              "Continue polling.")
            del self._devices[device]
            if self.decline:
                return _error(400, "authorization_declined", 70000,
                              "The user declined the authorization request.")
            return json_answer(self._user_tokens(app, resource, form.get("scope", "")))
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if token in self.revoked or token not in self._refresh:
                return _error(400, "invalid_grant", 700082,
                              "The refresh token has expired due to inactivity. The token was "
                              "issued on 2026-01-01T00:00:00Z and was inactive for 90.00:00:00.")
            # A new refresh token comes back; Entra does not spend the old one on use.
            return json_answer(self._user_tokens(app, resource, form.get("scope", "")))
        return _error(400, "unsupported_grant_type", 70003,
                      f"The app requested an unsupported grant type '{grant}'.")

    def _check_client(self, app: App, form: dict[str, str] | object) -> Answer | None:
        assert isinstance(form, dict)
        if app.secret is not None:
            if form.get("client_secret") == app.secret:
                return None
            return _error(401, "invalid_client", 7000215,
                          "Invalid client secret provided. Ensure the secret being sent in the "
                          "request is the client secret value, not the client secret ID, for a "
                          f"secret added to app '{app.client_id}'.")
        if app.certificate is None or form.get("client_assertion_type") != ASSERTION_TYPE:
            return _error(401, "invalid_client", 7000218,
                          "The request body must contain the following parameter: "
                          "'client_assertion' or 'client_secret'.")
        assertion = form.get("client_assertion", "")
        try:
            header = jwt.get_unverified_header(assertion)
            claims = jwt.decode(assertion, app.certificate.public_key_pem,
                                algorithms=["RS256", "PS256"],
                                audience=f"{self.origin}/{self.tenant}/oauth2/v2.0/token")
        except jwt.PyJWTError as exc:
            return _error(401, "invalid_client", 700027,
                          f"Client assertion failed signature validation. ({type(exc).__name__})")
        thumbprint = base64.urlsafe_b64encode(bytes.fromhex(app.certificate.thumbprint)
                                              ).decode().rstrip("=")
        if str(header.get("x5t", "")).rstrip("=") != thumbprint or \
                claims.get("iss") != app.client_id or claims.get("sub") != app.client_id:
            return _error(401, "invalid_client", 700027,
                          "Client assertion contains an invalid signature. [Reason - The key "
                          "was not found.]")
        return None

    def _access(self, resource: str, seconds: int = 3599) -> str:
        token = "eyJ0eXAiOiJKV1QifQ." + secrets.token_urlsafe(32)
        self.tokens_for(resource).add(token)
        self.issued.access.append(token)
        return token

    def _user_tokens(self, app: App, resource: str, scope: str) -> dict[str, object]:
        refresh = "0.ARfake-refresh." + secrets.token_urlsafe(32)
        self._refresh.add(refresh)
        self.issued.refresh.append(refresh)
        now = int(time.time())
        claims = {"aud": app.client_id, "iss": f"{self.origin}/{self.tenant}/v2.0",
                  "iat": now, "nbf": now, "exp": now + 3600, "name": self.user.name,
                  "oid": self.user.oid, "preferred_username": self.user.username,
                  "sub": uuid.uuid5(uuid.NAMESPACE_URL, self.user.oid).hex,
                  "tid": self.tenant, "ver": "2.0"}
        id_token = ".".join([_b64({"typ": "JWT", "alg": "none"}), _b64(claims), ""])
        return {"token_type": "Bearer", "scope": " ".join(
                    s for s in scope.split() if s not in ("openid", "profile", "offline_access")),
                "expires_in": self.user_token_seconds, "ext_expires_in": self.user_token_seconds,
                "access_token": self._access(resource, self.user_token_seconds),
                "refresh_token": refresh, "id_token": id_token,
                "client_info": _b64({"uid": self.user.oid, "utid": self.tenant})}


def _resource(scope: str) -> str:
    for item in scope.split():
        if item.endswith("/.default"):
            return item[: -len("/.default")]
    return ""


def _b64(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _error(status: int, error: str, code: int, text: str) -> Answer:
    trace = str(uuid.uuid4())
    return json_answer({
        "error": error,
        "error_description": f"AADSTS{code}: {text}\r\nTrace ID: {trace}\r\nCorrelation ID: "
                             f"{uuid.uuid4()}\r\nTimestamp: 2026-03-10 08:00:00Z",
        "error_codes": [code], "timestamp": "2026-03-10 08:00:00Z", "trace_id": trace,
        "correlation_id": str(uuid.uuid4())}, status)
