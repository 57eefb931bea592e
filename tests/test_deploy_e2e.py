"""`ppconnector deploy create` then `update` with the real paconn 0.0.21 (its own venv) against a fake
Power Apps API on 127.0.0.1, for the English and the Czech build.

What reached the fake is compared with the generated files:
- icon.png and script.csx: byte for byte (paconn uploads the files' bytes to blob storage);
- apiDefinition.swagger.json and apiProperties.json: JSON-equal, because paconn parses them and sends
  them re-serialized (requests' ``json=``), the definition inside ``properties.openApiDefinition``.
The blob upload is the one step paconn's settings cannot point at loopback (azure-storage-blob always
uses https://<account>.blob.<suffix>); it reaches the fake through HTTPS_PROXY, which the fake serves
with a throw-away CA (see tests/deploy_support.py).  paconn itself runs unmodified.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, snapshot
from deploy_support import RP, STORAGE_HOST, FakePowerApps, make_certs, paconn_env, paconn_executable, write_token

ENVIRONMENT = "Default-0e7a7c1e-test-env"
GOV = "https://gov.api.powerapps.us"
PACONN_ADDS_ON_CREATE = {"openApiDefinition", "backendService", "environment", "displayName", "description", "iconUri",
                         "scriptDefinitionUrl"}


@pytest.fixture(scope="module")
def paconn() -> Path:
    return paconn_executable()


@pytest.fixture(scope="module")
def fake(paconn: Path, tmp_path_factory) -> FakePowerApps:
    server = FakePowerApps(make_certs(paconn, tmp_path_factory.mktemp("certs"))).start()
    yield server
    server.stop()


@pytest.fixture
def deploy_env(fake: FakePowerApps, paconn: Path, tmp_path: Path):
    """Run `ppconnector deploy ...` in a project copy with a temporary HOME holding the dummy token."""
    home = tmp_path / "home"
    write_token(home)
    settings = tmp_path / "target.json"
    # The target is Microsoft's endpoint (the default); $PPCONNECTOR_INSECURE_POWER_APPS_URL (paconn_env) sends
    # paconn to the fake instead: no file may point the token anywhere else.
    settings.write_text(json.dumps({"environment": ENVIRONMENT}))
    env = paconn_env(fake, home, paconn)

    def run(*args: str, cwd: Path, paconn_override: Path | None = None) -> subprocess.CompletedProcess:
        e = dict(env)
        if paconn_override:
            e["PPCONNECTOR_PACONN"] = str(paconn_override)
        return subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", *args, "--settings", str(settings)],
                              cwd=cwd, env=e, capture_output=True, text=True, timeout=120)

    return run


def _folder(repo: Path, locale: str) -> Path:
    return repo if locale == "en" else repo / "dist" / locale


def _blob_url(rec) -> str:
    query = "&".join(f"{k}={v[0]}" for k, v in rec.query.items())
    return f"https://{STORAGE_HOST}{rec.path}?{query}"


def _assert_deployed(calls, folder: Path, method: str, api_path: str, create: bool) -> dict:
    """The five calls of one paconn create/update, each carrying exactly the generated content."""
    assert [(r.method, r.path.rsplit("/", 1)[-1] if r.host == STORAGE_HOST else r.path) for r in calls] == [
        ("POST", f"{RP}/objectIds/00000000-0000-4000-8000-00000000000a/validateApiSwagger"),
        ("POST", f"{RP}/objectIds/00000000-0000-4000-8000-00000000000a/generateResourceStorage"),
        ("PUT", "icon.png"),
        ("PUT", "script.csx"),
        (method, api_path),
    ]
    validate, storage, icon, script, registration = calls
    definition = json.loads((folder / "apiDefinition.swagger.json").read_bytes())
    properties = json.loads((folder / "apiProperties.json").read_bytes())["properties"]

    assert validate.json() == definition
    assert validate.query == {"api-version": ["2016-11-01"]}  # no enableConnectorCertificationRules
    assert validate.headers["x-ms-origin"] == registration.headers["x-ms-origin"] == "paconn-cli"
    assert storage.json() == {"environment": {"name": ENVIRONMENT}}
    assert icon.body == (folder / "icon.png").read_bytes()
    assert icon.headers["x-ms-blob-type"] == "BlockBlob" and icon.headers["x-ms-blob-content-type"] == "image/png"
    assert script.body == (folder / "script.csx").read_bytes()

    assert registration.query["$filter"] == [f"environment eq '{ENVIRONMENT}'"]
    assert registration.headers["Authorization"] == "Bearer dummy-token"
    assert registration.body.isascii()  # requests serializes with \u escapes: Czech arrives as escapes
    sent = registration.json()
    assert list(sent) == ["properties"]
    sent = sent["properties"]
    added = PACONN_ADDS_ON_CREATE if create else PACONN_ADDS_ON_CREATE - {"displayName"}
    assert set(sent) == set(properties) | added  # update never sends displayName: a renamed title is not deployed
    assert {k: sent[k] for k in properties} == properties
    assert sent["openApiDefinition"] == definition
    assert sent["backendService"] == {"serviceUrl": f"https://{definition['host']}{definition['basePath']}"}
    assert sent["environment"] == {"name": ENVIRONMENT}
    assert sent["description"] == definition["info"]["description"]
    if create:
        assert sent["displayName"] == definition["info"]["title"]
    assert sent["iconUri"] == _blob_url(icon)
    assert sent["scriptDefinitionUrl"] == _blob_url(script) != ""
    return sent


@pytest.mark.parametrize("locale", ["en", "cs"])
def test_create_then_update_delivers_the_generated_files(locale, project_copy: Path, fake: FakePowerApps, deploy_env):
    generated = snapshot(project_copy)
    folder = _folder(project_copy, locale)

    start = len(fake.requests)
    created = deploy_env("create", "--locale", locale, cwd=project_copy)
    assert created.returncode == 0, created.stderr
    calls = fake.requests[start:]
    _assert_deployed(calls, folder, "POST", f"{RP}/apis", create=True)
    connector_id = fake.created[-1]

    # The id paconn wrote back is kept, per locale and environment, where `update` finds it.
    record = project_copy / "connector" / f"deploy.{locale}.json"
    assert json.loads(record.read_text()) == {"connectorIds": {ENVIRONMENT: connector_id}}
    assert connector_id in created.stdout

    start = len(fake.requests)
    updated = deploy_env("update", "--locale", locale, cwd=project_copy)
    assert updated.returncode == 0, updated.stderr
    _assert_deployed(fake.requests[start:], folder, "PATCH", f"{RP}/apis/{connector_id}", create=False)

    # Deploying changed no generated file (the record is the one new file), and the build is current.
    after = snapshot(project_copy)
    assert after.pop(f"connector/deploy.{locale}.json")
    assert after == generated
    check = subprocess.run([sys.executable, "-m", "ppconnector.cli", "build", "--check"], cwd=project_copy,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert check.returncode == 0, check.stderr


def _recording_wrapper(paconn: Path, folder: Path) -> tuple[Path, Path]:
    """A paconn that first appends its argv (NUL-separated, one line per run) to a log, then runs the real one."""
    log = folder / "argv.log"
    wrapper = folder / "paconn"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\0" "$@" >> "{log}"\nprintf "\\n" >> "{log}"\nexec "{paconn}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


def test_update_of_a_connector_with_a_script_always_passes_the_script(project_copy: Path, fake: FakePowerApps,
                                                                       deploy_env, paconn: Path, tmp_path: Path):
    # --dry-run prints the exact command: each locale's update names its own build's script.
    for locale in ("en", "cs"):
        record = project_copy / "connector" / f"deploy.{locale}.json"
        record.write_text(json.dumps({"connectorIds": {ENVIRONMENT: f"shared_dry-{locale}"}}))
    before = len(fake.requests)
    dry = deploy_env("update", "--dry-run", cwd=project_copy)
    assert dry.returncode == 0, dry.stderr
    commands = [line for line in dry.stdout.splitlines() if not line.startswith("#")]
    assert len(commands) == 2
    for line, locale in zip(commands, ("en", "cs")):
        assert f"--script {_folder(project_copy, locale) / 'script.csx'}" in line
        assert f"--cid shared_dry-{locale}" in line
    assert len(fake.requests) == before  # a dry run calls nothing

    # The real argv paconn received, recorded by a wrapper around it, for a real create + update.
    for locale in ("en", "cs"):
        (project_copy / "connector" / f"deploy.{locale}.json").unlink()
    wrapper, log = _recording_wrapper(paconn, tmp_path)
    assert deploy_env("create", cwd=project_copy, paconn_override=wrapper).returncode == 0
    start = len(fake.requests)
    result = deploy_env("update", cwd=project_copy, paconn_override=wrapper)
    assert result.returncode == 0, result.stderr
    runs = [line.split("\0")[:-1] for line in log.read_text().splitlines()]
    assert [run[0] for run in runs] == ["create", "create", "update", "update"]
    for run, locale in zip(runs[2:], ("en", "cs")):
        script = run[run.index("--script") + 1]
        assert Path(script) == _folder(project_copy, locale) / "script.csx"
        assert "--settings" not in run  # with --settings paconn would ignore --script (see the next test)
    patches = [r for r in fake.requests[start:] if r.method == "PATCH"]
    uploads = [r for r in fake.requests[start:] if r.method == "PUT" and r.path.endswith("/script.csx")]
    assert len(patches) == len(uploads) == 2
    for patch, upload, locale in zip(patches, uploads, ("en", "cs")):
        assert patch.json()["properties"]["scriptDefinitionUrl"] == _blob_url(upload)
        assert upload.body == (_folder(project_copy, locale) / "script.csx").read_bytes()


def _paconn_update(paconn: Path, fake: FakePowerApps, deploy_env_home: Path, cwd: Path, *args: str) -> dict:
    env = paconn_env(fake, deploy_env_home, paconn)
    start = len(fake.requests)
    result = subprocess.run([str(paconn), "update", *args], cwd=cwd, env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return [r for r in fake.requests[start:] if r.method == "PATCH"][-1].json()["properties"]


def test_paconn_itself_deletes_the_script_without_script_and_ignores_flags_with_settings(project_copy: Path, fake, deploy_env,
                                                                                       paconn: Path, tmp_path: Path):
    """Why deploy passes every file as a flag and never --settings: the two paconn behaviours it guards against."""
    assert deploy_env("create", "--locale", "en", cwd=project_copy).returncode == 0
    cid = json.loads((project_copy / "connector" / "deploy.en.json").read_text())["connectorIds"][ENVIRONMENT]
    home = tmp_path / "home"
    common = ["--env", ENVIRONMENT, "--cid", cid, "--api-def", "apiDefinition.swagger.json", "--api-prop",
              "apiProperties.json", "--icon", "icon.png", "--pau", fake.url]

    # 1. paconn update without --script sends scriptDefinitionUrl "": the custom code is removed.
    assert _paconn_update(paconn, fake, home, project_copy, *common)["scriptDefinitionUrl"] == ""

    # 2. With --settings, paconn ignores --script (and every other flag): a settings file without
    #    "script" deletes the code even though --script was given.
    settings = tmp_path / "no-script-settings.json"
    settings.write_text(json.dumps({"connectorId": cid, "environment": ENVIRONMENT, "apiDefinition": "apiDefinition.swagger.json",
                                    "apiProperties": "apiProperties.json", "icon": "icon.png", "powerAppsUrl": fake.url}))
    sent = _paconn_update(paconn, fake, home, project_copy, "--settings", str(settings), "--script", "script.csx")
    assert sent["scriptDefinitionUrl"] == ""
    assert urlsplit(sent["iconUri"]).hostname == STORAGE_HOST


def test_an_oauth_client_secret_reaches_the_api_but_never_the_output(fake: FakePowerApps, paconn: Path, tmp_path: Path,
                                                                      monkeypatch, capfd):
    """The ClickSend YAML has no OAuth connection, so this drives the deploy runner directly with an
    OAuth build (the ClickSend English build with an OAuth token parameter) and the real paconn."""
    from ppconnector.deploy import plan, run

    def say(text: str, err: bool = False) -> None:
        print(text, file=sys.stderr if err else sys.stdout)

    folder = tmp_path / "build"
    folder.mkdir()
    for name in ("apiDefinition.swagger.json", "icon.png", "script.csx"):
        (folder / name).write_bytes((ROOT / name).read_bytes())
    properties = json.loads((ROOT / "apiProperties.json").read_bytes())
    properties["properties"]["connectionParameters"] = {"token": {"type": "oauthSetting", "oAuthSettings": {
        "identityProvider": "oauth2", "clientId": "client-1", "scopes": [], "redirectUrl": "https://global.consent.azure-apim.net/redirect"}}}
    (folder / "apiProperties.json").write_text(json.dumps(properties))
    files = {k: folder / v for k, v in (("apiDefinition", "apiDefinition.swagger.json"), ("apiProperties", "apiProperties.json"),
                                        ("icon", "icon.png"), ("script", "script.csx"))}
    secret = "s3cret-Value-0123"
    home = tmp_path / "home"
    write_token(home)
    for key, value in paconn_env(fake, home, paconn).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("MY_CLIENT_SECRET", secret)
    fake.connectors["shared_oauth"] = {}

    for cid, ok in (("shared_oauth", True), ("shared_echo", False)):
        t = plan.Target("en", folder, files, properties, {**plan.DEFAULTS, "environment": ENVIRONMENT, "connectorId": cid})
        argv = plan.paconn_argv(plan.UPDATE, t, str(paconn), "MY_CLIENT_SECRET", with_secret=True)
        start = len(fake.requests)
        code = run._run(plan.UPDATE, t, argv, secret, "MY_CLIENT_SECRET", None, tmp_path, say)
        assert code == (0 if ok else 1)
        patch = fake.requests[-1]
        assert patch.method == "PATCH" and len(fake.requests) > start
        # paconn puts the secret into the OAuth settings it sends ...
        assert patch.json()["properties"]["connectionParameters"]["token"]["oAuthSettings"]["clientSecret"] == secret
        out, err = capfd.readouterr()
        # ... and neither what deploy printed nor what paconn printed (relayed) shows it.
        assert secret not in out + err
        assert '--secret "$MY_CLIENT_SECRET"' in err
        if not ok:
            assert "***" in err  # paconn printed the service's error quoting the request: masked
    assert not any(secret.encode() in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_deploy_login_writes_a_token_file_paconn_accepts(project_copy: Path, fake: FakePowerApps, paconn: Path,
                                                          tmp_path: Path):
    """The CI route: an access token from the environment -> ~/.paconn/accessTokens.json -> paconn uses it."""
    from deploy_support import OBJECT_ID, dummy_jwt

    expires = int(time.time()) + 3600
    token = dummy_jwt({"aud": "https://service.powerapps.com/", "oid": OBJECT_ID, "exp": expires})
    fake.tokens.add(token)
    home = tmp_path / "home"
    env = {**paconn_env(fake, home, paconn), "PACONN_ACCESS_TOKEN": token}
    login = subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", "login"], cwd=project_copy, env=env,
                           capture_output=True, text=True, timeout=60)
    assert login.returncode == 0, login.stderr
    assert token not in login.stdout + login.stderr
    written = home / ".paconn" / "accessTokens.json"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert json.loads(written.read_text()) == {"token_type": "Bearer", "access_token": token, "expires_on": expires,
                                               "oid": OBJECT_ID}

    settings = tmp_path / "target.json"
    settings.write_text(json.dumps({"environment": ENVIRONMENT}))
    start = len(fake.requests)
    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", "create", "--locale", "en", "--settings",
                             str(settings)], cwd=project_copy, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {r.headers.get("Authorization") for r in fake.requests[start:] if r.host != STORAGE_HOST} == {f"Bearer {token}"}

    # A token about to expire is refused by login itself (paconn would refuse it with less than 10 minutes left).
    env["PACONN_ACCESS_TOKEN"] = dummy_jwt({"oid": OBJECT_ID, "exp": int(time.time()) + 300})
    late = subprocess.run([sys.executable, "-m", "ppconnector.cli", "deploy", "login"], cwd=project_copy, env=env,
                          capture_output=True, text=True, timeout=60)
    assert late.returncode == 2 and "paconn refuses tokens with less than 10 minutes left" in late.stderr


def test_the_yaml_deploy_section_is_enough_and_the_created_ids_are_kept(project_copy: Path, fake: FakePowerApps,
                                                                         paconn: Path, tmp_path: Path):
    """No --settings: the environment and powerAppsUrl come from the YAML `deploy:` section (in this scratch
    copy), the ids from what create recorded; the generated files stay current throughout.  The YAML names
    Microsoft's US Government endpoint; paconn reaches the fake through $PPCONNECTOR_INSECURE_POWER_APPS_URL."""
    source = project_copy / "connector" / "clicksend.yaml"
    source.write_text(source.read_text(encoding="utf-8") + f"\ndeploy:\n  environment: {ENVIRONMENT}\n"
                      f"  power_apps_url: {GOV}\n  flow_url: https://gov.api.flow.microsoft.us\n", encoding="utf-8")
    home = tmp_path / "home"
    write_token(home)
    env = paconn_env(fake, home, paconn)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ppconnector.cli", *args], cwd=project_copy, env=env,
                              capture_output=True, text=True, timeout=120)

    assert cli("build").returncode == 0
    created = cli("deploy", "create")
    assert created.returncode == 0, created.stderr
    ids = {loc: json.loads((project_copy / "connector" / f"deploy.{loc}.json").read_text())["connectorIds"][ENVIRONMENT]
           for loc in ("en", "cs")}
    assert ids["en"] != ids["cs"] and set(ids.values()) == set(fake.created[-2:])
    check = cli("build", "--check")
    assert check.returncode == 0, check.stderr
    for loc in ("en", "cs"):  # a build's settings.json names its own connector or none, never another locale's
        written = json.loads((_folder(project_copy, loc) / "settings.json").read_text())
        assert written.get("connectorId") in (None, ids[loc])
        assert written["powerAppsUrl"] == GOV and written["environment"] == ENVIRONMENT

    start = len(fake.requests)
    updated = cli("deploy", "update")
    assert updated.returncode == 0, updated.stderr
    assert [r.path for r in fake.requests[start:] if r.method == "PATCH"] == [f"{RP}/apis/{ids['en']}", f"{RP}/apis/{ids['cs']}"]
    # A second create is refused: the ids are known.
    again = cli("deploy", "create", "--locale", "cs")
    assert again.returncode == 2 and f"cs: this build is already connector {ids['cs']}" in again.stderr
