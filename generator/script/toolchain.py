"""Where mono's C# compiler, runtime and Json.NET are, and how to install them when they are not.

Finding them is a few ``stat`` calls, so `ppconnector check` stays cheap on machines without mono.
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

APT_PACKAGES = (
    "mono-mcs", "mono-runtime", "libnewtonsoft-json5.0-cil", "libmono-system-net-http4.0-cil",
    "libmono-system-web4.0-cil", "libmono-system-io-compression4.0-cil", "libmono-system-drawing4.0-cil",
    "libmono-system-xml-linq4.0-cil", "libmono-system-numerics4.0-cil", "libmono-system-runtime-serialization4.0-cil",
    "libmono-microsoft-csharp4.0-cil",
)
INSTALL_HINT = "install it with: sudo apt-get install -y --no-install-recommends " + " ".join(APT_PACKAGES) + " (Debian/Ubuntu)"

_JSON_DLL_CANDIDATES = (
    "/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll",
    "/usr/lib/mono/gac/Newtonsoft.Json/*/Newtonsoft.Json.dll",
    "/usr/lib/mono/4.5/Newtonsoft.Json.dll",
)


@dataclass(frozen=True)
class Toolchain:
    mcs: str
    mono: str
    json_dll: str
    framework: Path  # mono's class library folder (System.Net.Http.dll etc.)

    def missing_assemblies(self, names: tuple[str, ...]) -> list[str]:
        return [n for n in names if not (self.framework / f"{n}.dll").exists()]


class ToolchainMissing(Exception):
    """mono (or a part of it) is not installed; the message says what and how to install it."""


def _json_dll() -> str | None:
    env = os.environ.get("PPCONNECTOR_NEWTONSOFT")
    if env and Path(env).is_file():
        return env
    import glob

    for pattern in _JSON_DLL_CANDIDATES:
        for hit in sorted(glob.glob(pattern)):
            return hit
    return None


@functools.lru_cache(maxsize=1)
def find() -> Toolchain:
    """The toolchain, or ToolchainMissing naming what is missing and how to install it."""
    mcs = os.environ.get("PPCONNECTOR_MCS") or shutil.which("mcs")
    mono = os.environ.get("PPCONNECTOR_MONO") or shutil.which("mono")
    missing = [name for name, path in (("mcs", mcs), ("mono", mono)) if not path]
    json_dll = _json_dll()
    if not json_dll:
        missing.append("Newtonsoft.Json.dll")
    if missing:
        raise ToolchainMissing(f"{', '.join(missing)} not found; {INSTALL_HINT}")
    framework = Path(os.path.realpath(mono)).parent.parent / "lib" / "mono" / "4.5"
    if not framework.is_dir():
        framework = Path("/usr/lib/mono/4.5")
    tc = Toolchain(mcs, mono, json_dll, framework)
    from .stubs import REFERENCES

    absent = tc.missing_assemblies(REFERENCES)
    if absent and framework.is_dir():
        raise ToolchainMissing(f"mono is installed but not {', '.join(a + '.dll' for a in absent)} (in {framework}); {INSTALL_HINT}")
    return tc


def available() -> bool:
    try:
        find()
    except ToolchainMissing:
        return False
    return True
