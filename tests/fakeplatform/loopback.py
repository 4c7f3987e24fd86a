"""The plumbing the Microsoft fakes share: a threaded HTTP(S) server on 127.0.0.1, canned
failures, a request log, and a throwaway certificate authority for HTTPS.

A fake subclasses ``Loopback`` and implements ``route(request) -> Answer``.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.fakeplatform.serving import BackgroundServer


@dataclass(frozen=True)
class Request:
    """One request as the server received it (path percent-decoded)."""

    method: str
    path: str
    raw_path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    form: Mapping[str, str]
    at: float


@dataclass
class Answer:
    """One response."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0


def json_answer(data: Any, status: int = 200, **headers: str) -> Answer:
    """A JSON response."""
    return Answer(status, json.dumps(data).encode(), dict(headers))


class Loopback(BackgroundServer):
    """A fake API serving on 127.0.0.1 (HTTPS when given a certificate)."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[Request] = []
        self.script: dict[str, collections.deque[Answer]] = collections.defaultdict(
            collections.deque)
        self._tls = tls
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        """``http(s)://127.0.0.1:<port>``."""
        scheme = "https" if self._tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def fail(self, key: str, *answers: Answer) -> None:
        """Serve ``answers`` to the next requests whose path contains ``key`` (``*``: any)."""
        self.script[key].extend(answers)

    def route(self, request: Request) -> Answer:
        """The real answer to ``request``."""
        raise NotImplementedError

    def answer(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            canned = None
            for key, queue in self.script.items():
                if queue and (key == "*" or key.lower() in request.path.lower()):
                    canned = queue.popleft()
                    break
        if canned is not None:
            return canned
        return self.route(request)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """This fake's request handler."""
        return _handler(self)


def _handler(fake: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self, method: str) -> None:
            parts = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            request = Request(
                method, urllib.parse.unquote(parts.path), self.path,
                dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)),
                {k.lower(): v for k, v in self.headers.items()},
                dict(urllib.parse.parse_qsl(body, keep_blank_values=True)), time.monotonic())
            answer = fake.answer(request)
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@dataclass(frozen=True)
class LoopbackCA:
    """A throwaway certificate authority and a 127.0.0.1 server certificate it signed."""

    bundle: Path
    """The CA certificate (PEM): what ``REQUESTS_CA_BUNDLE`` points at."""
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """A TLS context serving the 127.0.0.1 certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_test_ca(folder: Path) -> LoopbackCA:
    """Create a CA and a server certificate for 127.0.0.1 under ``folder``."""
    import ipaddress

    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = (x509.CertificateBuilder().subject_name(_name("Fireside test CA"))
               .issuer_name(_name("Fireside test CA")).public_key(ca_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(hours=1))
               .not_valid_after(now + dt.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                            crl_sign=True, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                              critical=False)
               .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1"))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = LoopbackCA(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
    paths.bundle.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                            serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


@dataclass(frozen=True)
class ClientCertificate:
    """An app registration's certificate: the PEM (key and certificate) and its thumbprint."""

    pem: Path
    thumbprint: str
    """SHA-1, upper-case hex, as the Entra portal shows it."""
    public_key_pem: bytes


def make_client_certificate(folder: Path, name: str = "fireside-sync") -> ClientCertificate:
    """A self-signed certificate with its private key in one PEM file, as IT hands it out."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256()))
    pem = folder / f"{name}.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()) +
                    cert.public_bytes(serialization.Encoding.PEM))
    return ClientCertificate(pem, cert.fingerprint(hashes.SHA1()).hex().upper(),
                             key.public_key().public_bytes(
                                 serialization.Encoding.PEM,
                                 serialization.PublicFormat.SubjectPublicKeyInfo))
