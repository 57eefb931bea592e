"""A connector of the kind issue 27 is about: its host, OAuth client id and client secret are Dataverse
environment variables (the client secret a Secret one), it is meant for a named solution, and it deploys
through pac.  Tests write it into a scratch folder and run the CLI on it as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ENVIRONMENT = "0b0c1d2e-3f40-4152-8364-758697a8b9ca"
APP_ID = "11111111-2222-4333-8444-555555555555"
TENANT = "contoso.onmicrosoft.com"
SECRET = 'pac-s3cr"et\\with/odd&chars'  # JSON, shell and XML escaping all change it: every encoding must stay hidden
STANDIN = ROOT / "tests" / "pac_standin.py"

CONTOSO = """\
locales: [en]
connector:
  title: Contoso Orders
  description: Lists and creates orders in the Contoso order service for your flows and apps.
  version: "1.2"
  host: {environment_variable: cr8a1_ApiHost, default: api.contoso.com, display_name: Contoso API host}
  base_path: /v2
  contact: {name: Contoso support, url: "https://contoso.com/help", email: help@contoso.com}
  publisher: Contoso Ltd
  brand_color: "#d83b01"
  icon: icon.png
  metadata: {website: "https://contoso.com", privacy_policy: "https://contoso.com/privacy", categories: [Sales and CRM]}
connection:
  auth:
    oauth2_auth: {type: oauth2, flow: accessCode, authorizationUrl: "https://login.microsoftonline.com/common/oauth2/authorize",
                  tokenUrl: "https://login.microsoftonline.com/common/oauth2/authorize", scopes: {}}
  parameters:
    token:
      type: oauthSetting
      oauth:
        identity_provider: aad
        client_id: {environment_variable: cr8a1_ClientId, default: 8d5e1a52-0000-4000-8000-000000000001}
        clientSecret: {environment_variable: cr8a1_ClientSecret, secret: true, display_name: Contoso client secret}
        scopes: []
        redirect_mode: GlobalPerConnector
        properties: {IsFirstParty: "False", AzureActiveDirectoryResourceId: "https://api.contoso.com"}
        custom_parameters:
          loginUri: {value: "https://login.microsoftonline.com"}
          tenantId: {value: common}
          resourceUri: {value: "https://api.contoso.com"}
operations:
  ListOrders:
    request: GET /orders
    summary: List orders
    description: Lists the orders of your account, newest first.
    responses:
      "200":
        description: The orders
        schema:
          type: object
          properties:
            value:
              type: array
              summary: Orders
              description: The orders, newest first.
              items:
                type: object
                properties:
                  id: {type: string, summary: Order ID, description: The identifier the service gave the order.}
solution:
  unique_name: ContosoConnectors
  publisher: {unique_name: contoso, display_name: Contoso Ltd}
deploy:
  environment: %s
  environment_variables:
    %s: {cr8a1_ApiHost: api.test.contoso.com}
""" % (ENVIRONMENT, ENVIRONMENT)


def make_connector(folder: Path, text: str = CONTOSO, build: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "connector" / "icon.png", folder / "icon.png")
    source = folder / "contoso.yaml"
    source.write_text(text, encoding="utf-8")
    if build:
        result = cli("build", str(source), cwd=folder)
        assert result.returncode == 0, result.stderr
    return source


def cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`ppconnector ARGS` in cwd, as a user runs it, with extra environment variables."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PPCONNECTOR_PAC")}
    return subprocess.run([sys.executable, "-m", "ppconnector.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, env={**environ, "PYTHONPATH": str(ROOT), **(env or {})})


def pac_env(state: Path, **extra: str) -> dict[str, str]:
    return {"PPCONNECTOR_PAC": str(STANDIN), "PAC_STANDIN_STATE": str(state), "PPCONNECTOR_PAC_APPLICATION_ID": APP_ID,
            "PPCONNECTOR_PAC_TENANT_ID": TENANT, "PPCONNECTOR_PAC_CLIENT_SECRET": SECRET, **extra}
