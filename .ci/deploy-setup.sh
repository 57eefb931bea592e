#!/usr/bin/env bash
# CI: install paconn (Microsoft's Power Platform Connectors CLI) in its own virtual environment.
#
# paconn 0.0.21 pins old libraries (knack~=0.5.1, adal, azure-storage-blob<12) that must not meet the
# project's own, so it gets a venv of its own.  `ppconnector deploy` and tests/test_deploy_e2e.py find
# it at $PPCONNECTOR_PACONN, else at ~/.cache/ppconnector/paconn-venv/bin/paconn (this script's default).
# Idempotent: an existing venv with the pinned paconn is kept.
set -euo pipefail

PACONN_VERSION="${PACONN_VERSION:-0.0.21}"
VENV="${PPCONNECTOR_PACONN_VENV:-$HOME/.cache/ppconnector/paconn-venv}"
PYTHON="${PYTHON:-python3}"

installed="$("$VENV/bin/python" -m pip show paconn 2>/dev/null || true)"
if [ -x "$VENV/bin/paconn" ] && printf '%s\n' "$installed" | grep -qx "Version: $PACONN_VERSION"; then
  echo "paconn $PACONN_VERSION already installed in $VENV"
  exit 0
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv --clear "$VENV"
"$VENV/bin/python" -m pip install --quiet "paconn==$PACONN_VERSION"
"$VENV/bin/paconn" --help >/dev/null
echo "paconn $PACONN_VERSION installed in $VENV ($VENV/bin/paconn)"
