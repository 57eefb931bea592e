"""What holds every deployment tool run (generator/deploy/guard.py): the access token goes only to Microsoft's
endpoints, nothing secret is relayed in any encoding, and a tool that never ends is stopped.

The endpoint and deadline tests run `ppconnector deploy` as a user does; paconn there is a stand-in script
(a tripwire, a sleeper) where what matters is what deploy does around it, and the real paconn where what it
sends and prints matters.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import ROOT
from ppconnector.deploy import guard, plan

ENV = "Default-test-env"


def _deploy(*args: str, cwd: Path, home: Path, paconn: Path, env: dict | None = None, timeout: int = 120):
    full = {k: v for k, v in os.environ.items() if not k.startswith("PPCONNECTOR_")}
    full.update({"PYTHONPATH": str(ROOT), "PPCONNECTOR_PACONN": str(paconn), "HOME": str(home), **(env or {})})
    return subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=timeout)


def _token(home: Path, token: str = "x") -> None:
    (home / ".paconn").mkdir(parents=True, exist_ok=True)
    (home / ".paconn" / "accessTokens.json").write_text(json.dumps(
        {"token_type": "Bearer", "access_token": token, "expires_on": int(time.time()) + 3600, "oid": "o"}))


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections: where a hostile YAML would send the token."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _add_deploy_section(project: Path, **values: str) -> None:
    source = project / "connector" / "clicksend.yaml"
    lines = "".join(f"  {k}: {json.dumps(v)}\n" for k, v in values.items())
    source.write_text(source.read_text(encoding="utf-8") + f"\ndeploy:\n  environment: {ENV}\n{lines}", encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "ppconnector.cli", "build"], cwd=project, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert build.returncode == 0, build.stderr  # build accepts it: the target is deploy's to judge


# --- 1. the token goes to Microsoft only ----------------------------------------------------------------------

HOSTILE_ENDPOINTS = {
    "plain http to a listener": "{listener}",
    "https to another host": "https://token-catcher.example",
    "a Microsoft name as a subdomain of another host": "https://api.powerapps.com.token-catcher.example",
    "credentials before the host": "https://someone@api.powerapps.com",
    "another port": "https://api.powerapps.com:8443",
    "http to Microsoft's host": "http://api.powerapps.com",
    "a path after the host": "https://api.powerapps.com/../x",
}


@pytest.mark.parametrize("key", ["power_apps_url", "flow_url"])
@pytest.mark.parametrize("case", sorted(HOSTILE_ENDPOINTS))
def test_a_yaml_that_points_the_token_elsewhere_is_refused(project_copy, tmp_path, listener, case, key):
    url = HOSTILE_ENDPOINTS[case].format(listener=listener.url)
    _add_deploy_section(project_copy, **{key: url})
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": {ENV: "shared_x"}}))
    marker = tmp_path / "paconn-ran"
    tripwire = _script(tmp_path / "paconn", f'echo ran > "{marker}"\n')
    _token(tmp_path)
    for args in (("update", "--locale", "en"), ("update", "--locale", "en", "--dry-run")):
        result = _deploy(*args, cwd=project_copy, home=tmp_path, paconn=tripwire)
        assert result.returncode == 2, result.stderr
        setting = {"power_apps_url": "powerAppsUrl", "flow_url": "flowUrl"}[key]
        assert f"en: {setting} {url!r} is not a Microsoft endpoint: paconn would send your access token there" in result.stderr
        assert "settings.json (from deploy: in connector/clicksend.yaml)" in result.stderr
    assert not marker.exists() and listener.connections == 0


def test_a_settings_file_that_points_the_token_elsewhere_is_refused(project_copy, tmp_path, listener):
    marker = tmp_path / "paconn-ran"
    tripwire = _script(tmp_path / "paconn", f'echo ran > "{marker}"\n')
    _token(tmp_path)
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENV, "connectorId": "shared_x", "powerAppsUrl": listener.url}))
    result = _deploy("update", "--locale", "en", "--settings", str(settings), cwd=project_copy, home=tmp_path, paconn=tripwire)
    assert result.returncode == 2 and "is not a Microsoft endpoint" in result.stderr, result.stderr
    assert f"(from --settings {settings})" in result.stderr or "(from --settings" in result.stderr
    assert not marker.exists() and listener.connections == 0


@pytest.mark.parametrize("url", [" https://api.powerapps.com", "https://api.powerapps.com\n", "https://api.powerapps.com\t",
                                 "https://api.powerapps.com.", "https://\u0430pi.powerapps.com", "https://api.powerapps.com#@x.example",
                                 "https://api.powerapps.com\\@x.example", "https://api.powerapps.com:0443", "https:api.powerapps.com",
                                 "https://api.powerapps.com?x=1", "https://gov.api.powerapps.us.x.example"])
def test_look_alike_endpoints_are_not_microsofts(url):
    """What one URL parser strips or reads leniently (and another may not) is refused outright."""
    assert guard.endpoint_problem("powerAppsUrl", url) is not None


@pytest.mark.parametrize("url", ["https://api.powerapps.com", "https://high.api.powerapps.us", "https://api.powerapps.cn/",
                                 "https://API.PowerApps.com"])
def test_microsofts_endpoints_are_deployed_to(project_copy, tmp_path, url):
    _add_deploy_section(project_copy, power_apps_url=url)
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": {ENV: "shared_x"}}))
    result = _deploy("update", "--locale", "en", "--dry-run", cwd=project_copy, home=tmp_path, paconn=tmp_path / "paconn")
    assert result.returncode == 0, result.stderr
    assert f"--pau {url} " in result.stdout


def test_the_insecure_test_endpoint_must_be_loopback_and_says_so(project_copy, tmp_path):
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": {ENV: "shared_x"}}))
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENV}))
    args = ("update", "--locale", "en", "--dry-run", "--settings", str(settings))
    for url in ("http://10.0.0.8:18790", "https://token-catcher.example", "http://127.0.0.1.token-catcher.example:80"):
        far = _deploy(*args, cwd=project_copy, home=tmp_path, paconn=tmp_path / "paconn",
                      env={guard.INSECURE_URL_ENV: url})
        assert far.returncode == 2 and "only a loopback URL (http://127.0.0.1:PORT) is accepted" in far.stderr, far.stderr
    near = _deploy(*args, cwd=project_copy, home=tmp_path, paconn=tmp_path / "paconn",
                   env={guard.INSECURE_URL_ENV: "http://127.0.0.1:18790"})
    assert near.returncode == 0, near.stderr
    assert "--pau http://127.0.0.1:18790 " in near.stdout
    assert f"warning: ${guard.INSECURE_URL_ENV} is set: paconn talks to http://127.0.0.1:18790, not to Microsoft" in near.stderr


# --- a line break in a target name ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["environment", "record"])
def test_a_line_break_in_the_target_never_starts_a_workflow_command(project_copy, tmp_path, where):
    hostile = "Default-x\n::error file=a::pwned"
    if where == "environment":
        _add_deploy_section(project_copy)
        source = project_copy / "connector" / "clicksend.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace(f"environment: {ENV}", f"environment: {json.dumps(hostile)}"),
                          encoding="utf-8")
        subprocess.run([sys.executable, "-m", "ppconnector.cli", "build"], cwd=project_copy, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       check=True, capture_output=True)
        record = {ENV: "shared_x"}
    else:
        _add_deploy_section(project_copy)
        record = {ENV: "shared_x\n::error file=b::pwned"}
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": record}))
    marker = tmp_path / "paconn-ran"
    tripwire = _script(tmp_path / "paconn", f'echo ran > "{marker}"\n')
    _token(tmp_path)
    for args in (("update", "--locale", "en"), ("update", "--locale", "en", "--dry-run"), ("update", "--locale", "en", "--print", "pac")):
        result = _deploy(*args, cwd=project_copy, home=tmp_path, paconn=tripwire)
        assert result.returncode == 2, result.stderr
        if where == "environment" or "pac" not in args:  # pac reads its own record (deploy.en.pac.json), never paconn's
            assert "holds a space, line break or control character: it is a name, on one line" in result.stderr
        assert not any(line.lstrip().startswith("::") for line in (result.stdout + result.stderr).splitlines()), result.stderr
    assert not marker.exists()


# --- 2. nothing secret is relayed ---------------------------------------------------------------------------------

SECRET = "s3cret+Value/0123=="
TOKEN = "eyJhbGciOiJub25lIn0.eyJvaWQiOiJvIiwiYXVkIjoiaHR0cHM6Ly9zZXJ2aWNlLnBvd2VyYXBwcy5jb20vIn0.c2ln"


def _encodings(value: str) -> dict[str, str]:
    raw = value.encode()
    wrapped = base64.b64encode(b"Authorization: Bearer " + raw + b"\r\n").decode()
    return {
        "raw": value,
        "JSON-escaped": json.dumps(value)[1:-1].replace("/", "\\/"),
        "JSON unicode escapes": "".join(f"\\u{ord(c):04x}" for c in value),
        "URL-encoded": urllib.parse.quote(value, safe=""),
        "URL-encoded twice": urllib.parse.quote(urllib.parse.quote(value, safe=""), safe=""),
        "form-encoded, lower-case hex": urllib.parse.quote_plus(value).lower(),
        "base64": base64.b64encode(raw).decode(),
        "base64url, unpadded": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "base64 inside a longer base64 text": wrapped,
        "split across two lines": value[: len(value) // 2] + "\n    " + value[len(value) // 2:],
        "split by JSON's \\n escapes": "\\n".join(value[i:i + 7] for i in range(0, len(value), 7)),
        "base64 split across lines (MIME)": "\r\n".join(wrapped[i:i + 8] for i in range(0, len(wrapped), 8)),
    }


@pytest.mark.parametrize("value", [SECRET, TOKEN], ids=["client secret", "bearer token"])
def test_every_encoding_of_a_secret_is_masked(value):
    masker = guard.Masker([SECRET, TOKEN])
    for name, form in _encodings(value).items():
        out = masker(f"error: the request was {form} and more")
        assert out.startswith("error: the request was ") and out.endswith(" and more"), (name, out)
        assert "***" in out, (name, out)
        for piece in (value[:8], value[-8:]):
            assert piece not in out, (name, out)


def test_output_without_secrets_is_relayed_unchanged():
    masker = guard.Masker([SECRET, TOKEN])
    text = "Validating the definition\nUploading icon.png\n  done: shared_connector-01\n"
    assert masker(text) == text


def test_a_secret_printed_in_two_chunks_is_masked(tmp_path):
    """The tool writes half the token, pauses, writes the rest: no chunk boundary lets it through."""
    tool = _script(tmp_path / "tool", f'printf "Bearer {TOKEN[:30]}"\nsleep 0.3\nprintf "{TOKEN[30:]} done\\n"\n')
    run = guard.run_tool([str(tool)], cwd=str(tmp_path), env=dict(os.environ), timeout=30, masker=guard.Masker([TOKEN]))
    assert run.code == 0 and run.output == "Bearer *** done\n"


def test_deploy_relays_paconns_output_masked(project_copy, tmp_path):
    """A paconn (stand-in) that prints the bearer token from its token file and the client secret in several
    encodings, as a verbose or failing tool might: deploy relays every line, none of them in clear."""
    encoded = [*_encodings(TOKEN).values(), *_encodings(SECRET).values()]
    out_file = tmp_path / "printed.txt"
    out_file.write_text("\n".join(f"paconn says: {e}" for e in encoded) + "\n")
    paconn = _script(tmp_path / "paconn", f'cat "{out_file}"\nexit 1\n')
    _token(tmp_path, TOKEN)
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENV, "connectorId": "shared_x"}))
    result = _deploy("update", "--locale", "en", "--settings", str(settings), cwd=project_copy, home=tmp_path, paconn=paconn,
                     env={plan.SECRET_ENV: SECRET})
    assert result.returncode == 1 and "en: paconn update failed (exit 1)" in result.stderr, result.stderr
    relayed = [line for line in result.stderr.splitlines() if line.startswith("  paconn: ")]
    assert len(relayed) >= len(encoded) - 2  # the split forms join two lines into one
    for value in (TOKEN, SECRET):
        for piece in (value[:8], value[-8:], base64.b64encode(value.encode()).decode()[:12]):
            assert piece not in result.stdout + result.stderr


# --- 3. the deadline -------------------------------------------------------------------------------------------


def test_a_paconn_that_never_ends_is_stopped_with_everything_it_started(project_copy, tmp_path):
    pids = tmp_path / "pids"
    paconn = _script(tmp_path / "paconn", f'sleep 300 &\necho $! > "{pids}"\necho "working"\nsleep 300\n')
    _token(tmp_path)
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENV, "connectorId": "shared_x"}))
    result = _deploy("update", "--locale", "en", "--settings", str(settings), "--timeout", "2", cwd=project_copy,
                     home=tmp_path, paconn=paconn, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "  paconn: working" in result.stderr
    assert "en: paconn update did not finish within 2 s (--timeout): stopped it and everything it started" in result.stderr
    child = int(pids.read_text())
    for _ in range(50):  # the group was sent SIGTERM: give the kernel a moment to reap it
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"paconn's child {child} outlived deploy")


def test_the_deadline_comes_from_the_environment_too(project_copy, tmp_path):
    paconn = _script(tmp_path / "paconn", "sleep 300\n")
    _token(tmp_path)
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENV, "connectorId": "shared_x"}))
    result = _deploy("update", "--locale", "en", "--settings", str(settings), cwd=project_copy, home=tmp_path, paconn=paconn,
                     env={guard.TIMEOUT_ENV: "1.5"}, timeout=60)
    assert result.returncode == 1 and "did not finish within 1.5 s" in result.stderr, result.stderr
    bad = _deploy("update", "--timeout", "0", cwd=project_copy, home=tmp_path, paconn=paconn)
    assert bad.returncode == 2 and "--timeout" in bad.stderr


# --- `deploy paconn ARGS`: the same masking and deadline for the pass-through --------------------------------------


def _pass_through(*args: str, home: Path, paconn: Path, env: dict | None = None, stdin: str = ""):
    full = {k: v for k, v in os.environ.items() if not k.startswith("PPCONNECTOR_")}
    full.update({"PYTHONPATH": str(ROOT), "PPCONNECTOR_PACONN": str(paconn), "HOME": str(home), **(env or {})})
    return subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", "paconn", *args], cwd=home, env=full, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_deploy_paconn_relays_what_paconn_prints_masked_and_answers_its_prompts(tmp_path):
    """`deploy paconn ARGS` runs the installed paconn as the user drives it (a prompt, an answer): what it
    prints about the client secret (from the environment or typed after --secret), its stored token or a CI
    token comes out masked in every encoding; its exit code is the command's."""
    encoded = [*_encodings(TOKEN).values(), *_encodings(SECRET).values(), base64.b64encode(b"typed-Secret-42").decode()]
    printed = tmp_path / "printed.txt"
    printed.write_text("\n".join(f"paconn says: {e}" for e in encoded) + "\n")
    paconn = _script(tmp_path / "paconn", f'echo "args: $*"\ncat "{printed}"\nprintf "Select an environment: "\n'
                                          'read answer\necho "picked $answer"\nexit 3\n')
    _token(tmp_path, TOKEN)
    result = _pass_through("download", "--secret", "typed-Secret-42", home=tmp_path, paconn=paconn,
                           env={plan.SECRET_ENV: SECRET}, stdin="2\n")
    assert result.returncode == 3, result.stderr
    assert "args: download --secret ***" in result.stdout and "Select an environment: picked 2" in result.stdout
    for value in (TOKEN, SECRET, "typed-Secret-42"):
        for piece in (value[:8], value[-8:], base64.b64encode(value.encode()).decode()[:12]):
            assert piece not in result.stdout + result.stderr, piece


def test_deploy_paconn_is_stopped_at_the_deadline_with_everything_it_started(tmp_path):
    pids = tmp_path / "pids"
    paconn = _script(tmp_path / "paconn", f'sleep 300 &\necho $! > "{pids}"\necho "waiting for the device code"\nsleep 300\n')
    result = _pass_through("login", home=tmp_path, paconn=paconn, env={guard.TIMEOUT_ENV: "1.5"})
    assert result.returncode == 1, result.stderr
    assert "waiting for the device code" in result.stdout
    assert "paconn did not finish within 1.5 s ($PPCONNECTOR_DEPLOY_TIMEOUT)" in result.stderr
    child = int(pids.read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"paconn's child {child} outlived deploy paconn")
    bad = _pass_through("login", home=tmp_path, paconn=paconn, env={guard.TIMEOUT_ENV: "soon"})
    assert bad.returncode == 2 and "$PPCONNECTOR_DEPLOY_TIMEOUT 'soon'" in bad.stderr


# --- with the real paconn ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_paconn() -> Path:
    from deploy_support import paconn_executable

    return paconn_executable()


@pytest.fixture(scope="module")
def fake(real_paconn: Path, tmp_path_factory):
    from deploy_support import FakePowerApps, make_certs

    server = FakePowerApps(make_certs(real_paconn, tmp_path_factory.mktemp("certs"))).start()
    yield server
    server.stop()


def test_real_paconn_never_runs_for_a_yaml_that_points_elsewhere(project_copy, tmp_path, listener, fake, real_paconn):
    """Even with the test-only variable set (it names the fake), a YAML endpoint that is not Microsoft's is refused."""
    from deploy_support import paconn_env, write_token

    _add_deploy_section(project_copy, power_apps_url=listener.url)
    (project_copy / "connector" / "deploy.en.json").write_text(json.dumps({"connectorIds": {ENV: "shared_x"}}))
    home = tmp_path / "home"
    write_token(home)
    start = len(fake.requests)
    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", "update", "--locale", "en"], cwd=project_copy,
                            env=paconn_env(fake, home, real_paconn), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "is not a Microsoft endpoint" in result.stderr, result.stderr
    assert listener.connections == 0 and len(fake.requests) == start


def test_real_paconn_printing_the_bearer_token_is_relayed_masked(project_copy, tmp_path, fake, real_paconn):
    """The service quotes the Authorization header paconn sent (raw, base64, URL-encoded, wrapped); paconn
    prints the error; deploy relays it without the token in any of those forms."""
    from deploy_support import LEAKY_ID, OBJECT_ID, dummy_jwt, paconn_env

    token = dummy_jwt({"aud": "https://service.powerapps.com/", "oid": OBJECT_ID, "exp": int(time.time()) + 3600})
    fake.tokens.add(token)
    home = tmp_path / "home"
    (home / ".paconn").mkdir(parents=True)
    (home / ".paconn" / "accessTokens.json").write_text(json.dumps(
        {"token_type": "Bearer", "access_token": token, "expires_on": int(time.time()) + 3600, "oid": OBJECT_ID}))
    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENV, "connectorId": LEAKY_ID}))
    start = len(fake.requests)
    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", "update", "--locale", "en", "--settings",
                             str(settings)], cwd=project_copy, env=paconn_env(fake, home, real_paconn),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    patch = [r for r in fake.requests[start:] if r.method == "PATCH"]
    assert patch and patch[-1].headers["Authorization"] == f"Bearer {token}"  # paconn really sent it ...
    relayed = "\n".join(line for line in result.stderr.splitlines() if line.startswith("  paconn: "))
    assert "denied for Bearer ***" in relayed, relayed  # ... the service really quoted it, and paconn printed that
    auth = f"Bearer {token}"
    for form in (token, base64.b64encode(auth.encode()).decode()[12:40], urllib.parse.quote(auth, safe="")[10:40],
                 token[7:14], token[-14:-7]):
        assert form not in result.stdout + result.stderr, form
