#!/usr/bin/env bash
# CI: install mono's C# compiler and runtime for `ppconnector script` and its tests (tests/test_script*.py).
#
#   mono-mcs, mono-runtime            the compiler (C# 7 + the harness's rewrites of newer syntax) and runtime
#   libnewtonsoft-json5.0-cil         Json.NET (Newtonsoft.Json / .Linq, which scripts use everywhere)
#   libmono-system-net-http4.0-cil    System.Net.Http (HttpRequestMessage, ScriptBase's whole surface)
#   libmono-system-web4.0-cil         System.Web (HttpUtility), on Microsoft's list of namespaces
#   libmono-system-io-compression4.0-cil, libmono-system-drawing4.0-cil,
#   libmono-system-xml-linq4.0-cil        the rest of that list
#   libmono-system-numerics4.0-cil, libmono-system-runtime-serialization4.0-cil,
#   libmono-microsoft-csharp4.0-cil       BigInteger, DataContract and `dynamic`, which scripts may use
#
# The list is generator/script/toolchain.py's APT_PACKAGES (what `ppconnector` tells users to install).
# Idempotent and quick when everything is installed (one dpkg-query, no apt-get update).
set -euo pipefail

PACKAGES=(mono-mcs mono-runtime libnewtonsoft-json5.0-cil libmono-system-net-http4.0-cil
          libmono-system-web4.0-cil libmono-system-io-compression4.0-cil libmono-system-drawing4.0-cil
          libmono-system-xml-linq4.0-cil libmono-system-numerics4.0-cil libmono-system-runtime-serialization4.0-cil
          libmono-microsoft-csharp4.0-cil)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "mono already installed: $(mcs --version)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed ${missing[*]}: $(mcs --version)"
