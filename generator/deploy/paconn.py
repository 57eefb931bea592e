"""Finding and running the real paconn, which lives in a virtual environment of its own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ENV_PACONN = "PPCONNECTOR_PACONN"


def default_paconn() -> Path:
    """Where .ci/deploy-setup.sh installs paconn: ~/.cache/ppconnector/paconn-venv/bin/paconn."""
    scripts = "Scripts" if os.name == "nt" else "bin"
    name = "paconn.exe" if os.name == "nt" else "paconn"
    return Path.home() / ".cache" / "ppconnector" / "paconn-venv" / scripts / name


def find_paconn() -> Path | None:
    explicit = os.environ.get(ENV_PACONN)
    if explicit:
        return Path(explicit)
    if default_paconn().exists():
        return default_paconn()
    found = shutil.which("paconn")
    return Path(found) if found else None


def token_file() -> Path:
    """The token cache paconn reads: ~/.paconn/accessTokens.json (paconn.common.util.get_config_dir)."""
    return Path(os.path.expanduser(os.path.join("~", ".paconn", "accessTokens.json")))


def shown(path: Path) -> str:
    """A path in the user's home as ~/..., the way a user would type it (not ../../home/...)."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def stored_tokens() -> list[str]:
    """The tokens in paconn's token file (access, refresh, id), to be masked in whatever paconn prints."""
    import json

    try:
        data = json.loads(token_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    return [v for k, v in data.items() if isinstance(v, str) and "token" in k.lower() and k != "token_type"]


def token_problem(now: float | None = None) -> tuple[Path, str] | None:
    """Why paconn would refuse its token, said before anything runs (paconn 0.0.21 never refreshes a
    token: it stops with "Access token invalid" once fewer than 600 seconds are left)."""
    import json
    import time

    path = token_file()
    how = "run `ppconnector deploy paconn login` (device code), or in CI write the token file as docs/deploy.md shows"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return path, f"paconn is not logged in (no token file): {how}"
    except (OSError, ValueError) as e:
        return path, f"paconn's token file is unreadable ({e}): {how}"
    if not isinstance(data, dict) or not data.get("access_token"):
        return path, f"paconn's token file has no access_token: {how}"
    expires = data.get("expires_on")
    if isinstance(expires, (int, float)) and expires < (now or time.time()) + 600:
        return path, f"paconn's token expires in less than 10 minutes (paconn refuses it then): {how}"
    return None


def token_from_jwt(token: str) -> tuple[dict | None, str | None]:
    """paconn's token file content for a bearer token (a JWT), or why it cannot be used.

    paconn reads access_token, token_type, expires_on (seconds since the epoch: a number, or its expiry
    test fails) and oid (the caller's object id: it is part of two API paths).  The JWT's claims give
    the last two; the signature is not checked here (the API does that)."""
    import base64
    import json

    parts = token.strip().split(".")
    if len(parts) != 3:
        return None, "not a JWT (expected three dot-separated parts)"
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError):
        return None, "not a JWT (its claims are not base64url JSON)"
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), (int, float)) or isinstance(claims["exp"], bool):
        return None, "the token has no exp claim"
    if not 0 <= claims["exp"] < 10**11:  # NaN and 1e400 (infinity) fail this too
        return None, f"the token's exp claim {claims['exp']!r} is not a time (seconds since 1970)"
    if not isinstance(claims.get("oid"), str):
        return None, "the token has no oid claim (paconn puts the caller's object id into its API paths)"
    data = {"token_type": "Bearer", "access_token": token.strip(), "expires_on": int(claims["exp"]), "oid": claims["oid"]}
    aud = claims.get("aud")
    return data, (None if aud in POWERAPPS_AUDIENCES else f"warning: the token's audience is {aud!r}, not {POWERAPPS_AUDIENCES[0]!r}")


POWERAPPS_AUDIENCES = ("https://service.powerapps.com/", "https://service.powerapps.com")
