"""A fake Power Apps API on 127.0.0.1 for the real paconn, and the environment paconn runs in.

What paconn 0.0.21 calls (paconn/apimanager/powerappsrp.py, operations/upsert.py):

    POST  {powerAppsUrl}/providers/Microsoft.PowerApps/objectIds/{oid}/validateApiSwagger?api-version=...
    POST  {powerAppsUrl}/providers/Microsoft.PowerApps/objectIds/{oid}/generateResourceStorage?api-version=...
          -> {"sharedAccessSignature": "https://<account>.blob.<suffix>/<container>?<sas>"}
    PUT   https://<account>.blob.<suffix>/<container>/<file name>?<sas>     (azure-storage-blob 2.1: icon, script)
    POST  {powerAppsUrl}/providers/Microsoft.PowerApps/apis?api-version=...&$filter=environment eq '<env>'   (create)
    PATCH {powerAppsUrl}/providers/Microsoft.PowerApps/apis/<id>?api-version=...&$filter=...             (update)

The blob upload cannot be pointed at loopback through paconn's settings: azure-storage-blob builds the
host as ``<account>.blob.<suffix>`` and always speaks HTTPS.  So this fake is also the HTTPS proxy
paconn's ``requests`` uses (``HTTPS_PROXY``): it answers CONNECT, terminates TLS with a certificate for
the fake storage host signed by a throw-away CA (``REQUESTS_CA_BUNDLE``), and records the PUT.  paconn
and azure-storage-blob run unmodified; nothing is patched.  The storage host is under ``.invalid`` so
it can never resolve to a real machine: without the proxy the upload fails instead of leaving 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import ROOT

STORAGE_ACCOUNT = "fakestore"
STORAGE_SUFFIX = "ppconnector.invalid"
STORAGE_HOST = f"{STORAGE_ACCOUNT}.blob.{STORAGE_SUFFIX}"
OBJECT_ID = "00000000-0000-4000-8000-00000000000a"
RP = "/providers/Microsoft.PowerApps"
ECHO_ID = "shared_echo"  # PATCH to this connector fails with the request body quoted in the error
LEAKY_ID = "shared_leaky"  # PATCH to this connector fails quoting the request's Authorization header, as encoded text

# The interpreter the certificates are made with: paconn's own venv has `cryptography` (adal needs it),
# so the test needs nothing beyond what paconn brings.
_CERT_SCRIPT = r"""
import datetime, sys
from pathlib import Path
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

out, host = Path(sys.argv[1]), sys.argv[2]
now = datetime.datetime.now(datetime.timezone.utc)
def name(cn): return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
ca_key = ec.generate_private_key(ec.SECP256R1())
ca = (x509.CertificateBuilder().subject_name(name("ppconnector test CA")).issuer_name(name("ppconnector test CA"))
      .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
      .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
      .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
      .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
      .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
      .sign(ca_key, hashes.SHA256()))
key = ec.generate_private_key(ec.SECP256R1())
leaf = (x509.CertificateBuilder().subject_name(name(host)).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256()))
pem = serialization.Encoding.PEM
(out / "ca.pem").write_bytes(ca.public_bytes(pem))
(out / "leaf.pem").write_bytes(leaf.public_bytes(pem))
(out / "leaf.key").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
"""


def paconn_executable() -> Path:
    """The real paconn in its own venv: $PPCONNECTOR_PACONN, else the default venv, installed on demand
    by .ci/deploy-setup.sh (the one step that talks to PyPI; .ci/run normally did it already)."""
    from ppconnector.deploy.paconn import default_paconn

    explicit = os.environ.get("PPCONNECTOR_PACONN")
    path = Path(explicit) if explicit else default_paconn()
    if not path.exists() and not explicit:
        subprocess.run(["bash", str(ROOT / ".ci" / "deploy-setup.sh")], check=True, timeout=600)
    assert path.exists(), f"paconn not found at {path}: run .ci/deploy-setup.sh"
    return path


@dataclass
class Recorded:
    method: str
    host: str  # the Host the request was for (the storage host for tunnelled uploads)
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakePowerApps:
    """The fake API plus the TLS-terminating proxy for the blob upload, on one loopback port."""

    certs: Path
    requests: list[Recorded] = field(default_factory=list)
    connectors: dict[str, dict] = field(default_factory=dict)  # id -> last payload
    created: list[str] = field(default_factory=list)  # connector ids, in the order create made them
    tokens: set[str] = field(default_factory=lambda: {"dummy-token"})  # bearer tokens the fake accepts
    _uploads: int = 0

    def start(self) -> "FakePowerApps":
        fake = self
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(self.certs / "leaf.pem", self.certs / "leaf.key")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            tunnel_host = ""

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_CONNECT(self):
                host = self.path.split(":")[0]
                if host != STORAGE_HOST:
                    self.send_error(403, "only the fake storage host is tunnelled")
                    return
                self.send_response(200, "Connection established")
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.wfile.flush()
                self.connection = tls.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                self.tunnel_host = host
                self.close_connection = False

            def _record(self) -> Recorded:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                rec = Recorded(self.command, self.tunnel_host or self.headers.get("Host", ""), url.path,
                               parse_qs(url.query, keep_blank_values=True), dict(self.headers.items()), body)
                fake.requests.append(rec)
                return rec

            def _reply(self, status: int, payload=None, headers: dict | None = None):
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if payload is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()

            def do_PUT(self):
                rec = self._record()
                if self.tunnel_host and rec.query.get("sig") == ["fake-signature"]:
                    self._reply(201, headers={"ETag": '"0x8D0000000000001"', "Last-Modified": formatdate(usegmt=True)})
                else:
                    self._reply(403, {"error": "bad upload"})

            def do_GET(self):
                self._record()
                self._reply(404, {"error": {"code": "NotFound", "message": "not served by the fake"}})

            def do_POST(self):
                rec = self._record()
                if self.headers.get("Authorization") not in {f"Bearer {t}" for t in fake.tokens}:
                    return self._reply(401, {"error": {"code": "Unauthorized"}})
                if rec.path == f"{RP}/objectIds/{OBJECT_ID}/validateApiSwagger":
                    return self._reply(200, {"errors": [], "warnings": []})
                if rec.path == f"{RP}/objectIds/{OBJECT_ID}/generateResourceStorage":
                    fake._uploads += 1
                    sas = f"https://{STORAGE_HOST}/upload{fake._uploads}?sv=2018-03-28&sr=c&sp=rw&sig=fake-signature"
                    return self._reply(200, {"sharedAccessSignature": sas})
                if rec.path == f"{RP}/apis":
                    body = rec.json()
                    cid = f"shared_connector-{len(fake.connectors) + 1:02d}-5f0123456789abcdef"
                    fake.connectors[cid] = body
                    fake.created.append(cid)
                    return self._reply(201, {"name": cid, "id": f"{RP}/apis/{cid}", "properties": body["properties"]})
                self._reply(404, {"error": {"code": "NotFound", "message": rec.path}})

            def do_PATCH(self):
                rec = self._record()
                if self.headers.get("Authorization") not in {f"Bearer {t}" for t in fake.tokens}:
                    return self._reply(401, {"error": {"code": "Unauthorized"}})
                cid = rec.path.rsplit("/", 1)[-1]
                if cid == ECHO_ID:  # a service that quotes the request in its error, as real ones do
                    return self._reply(400, {"error": {"code": "BadRequest", "message": rec.body.decode()}})
                if cid == LEAKY_ID:  # a careless service: the caller's credentials in a diagnostic, several ways
                    import base64
                    from urllib.parse import quote

                    auth = self.headers.get("Authorization", "")
                    return self._reply(400, {"error": {"code": "BadRequest", "message": f"denied for {auth}", "trace": {
                        "header": base64.b64encode(auth.encode()).decode(), "url": quote(auth, safe=""),
                        "wrapped": "\n".join(auth[i:i + 7] for i in range(0, len(auth), 7))}}})
                if not rec.path.startswith(f"{RP}/apis/") or cid not in fake.connectors:
                    return self._reply(404, {"error": {"code": "ApiNotFound", "message": cid}})
                fake.connectors[cid] = rec.json()
                self._reply(200, {"name": cid, "id": f"{RP}/apis/{cid}", "properties": fake.connectors[cid]["properties"]})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def api_calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]


def make_certs(paconn: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    python = paconn.parent / "python"
    subprocess.run([str(python), "-c", _CERT_SCRIPT, str(folder), STORAGE_HOST], check=True, timeout=60)
    return folder


def write_token(home: Path, expires_in: int = 3600) -> Path:
    """The token file paconn reads (~/.paconn/accessTokens.json), with a dummy bearer token."""
    folder = home / ".paconn"
    folder.mkdir(parents=True, exist_ok=True)
    token = {
        "token_type": "Bearer",
        "access_token": "dummy-token",
        "expires_on": int(time.time()) + expires_in,
        "oid": OBJECT_ID,
    }
    path = folder / "accessTokens.json"
    path.write_text(json.dumps(token))
    return path


def dummy_jwt(claims: dict) -> str:
    """An unsigned JWT-shaped token (the fake does not check signatures; neither does `deploy login`)."""
    import base64

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.c2ln"


def paconn_env(fake: FakePowerApps, home: Path, paconn: Path) -> dict[str, str]:
    """The environment for `ppconnector deploy`: a temporary HOME (the real ~/.paconn is untouched),
    the fake as the HTTPS proxy for the storage host only, and its CA trusted by paconn's requests.
    deploy accepts only Microsoft's endpoints from the YAML and --settings; the test-only variable
    PPCONNECTOR_INSECURE_POWER_APPS_URL is what sends paconn to the fake on 127.0.0.1 instead."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    proxy = fake.url
    env.update({
        "HOME": str(home),
        "PPCONNECTOR_PACONN": str(paconn),
        "HTTPS_PROXY": proxy, "https_proxy": proxy,
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        "REQUESTS_CA_BUNDLE": str(fake.certs / "ca.pem"),
        "PYTHONPATH": str(ROOT),
        "PPCONNECTOR_INSECURE_POWER_APPS_URL": fake.url,
    })
    return env

