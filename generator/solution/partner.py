"""The certification package Partner Center takes (`ppconnector package --partner-center --out FILE.zip`).

Its structure is what Microsoft's scripts/ConnectorPackageValidator.ps1 (microsoft/PowerPlatformConnectors)
checks, level by level:

    FILE.zip                          no folder; exactly one *.md (intro.md) and one *.zip
      intro.md                        generated from the YAML (Microsoft's readme template, as `package` writes it)
      <Solution>.pdpkg.zip            exactly one folder
        PkgAssets/                    no sub-folder; exactly two solution zips (connector, flow)
          ImportConfig.xml            the Package Deployer's list of the solutions to import
          <Solution>_<version>.zip            the connector's solution: a Connector, no Workflows
          <Solution>SampleFlow_<version>.zip  the sample flow's: a Connector and Workflows
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from ..model import Connector
from .archive import zip_bytes
from .flow import flow_solution
from .layout import plan, zip_name

ASSETS = "PkgAssets"


def import_config(solutions: list[str]) -> bytes:
    """PkgAssets/ImportConfig.xml: which solution zips the Package Deployer imports, in order.  Its shape is
    the Package Deployer template's; the validator does not read it (docs/package.md)."""
    files = "".join(f"    <configsolutionfile solutionpackagefilename={quoteattr(name)} overwriteunmanagedcustomizations=\"false\" "
                    "publishworkflowsandactivateplugins=\"true\" />\n" for name in solutions)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<configdatastorage xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" installsampledata="false" '
            'waitforsampledatatoinstall="true" agentdesktopzipfile="" agentdesktopexename="" crmmigdataimportfile="">\n'
            f"  <solutions>\n{files}  </solutions>\n  <filestoimport />\n</configdatastorage>\n").encode("utf-8")


def partner_center_package(c: Connector, locale: str) -> dict[str, bytes]:
    """The outer zip's entries: intro.md and the package zip (bytes, built deterministically)."""
    from ..build import build, default_out
    from ..emit import settings as names
    from ..package.readme import render

    built = {path.name: data for path, data in build(c, locale, default_out(c)).files.items()}
    definition = json.loads(built[names.DEFINITION])
    properties = json.loads(built[names.PROPERTIES])
    p = plan(c, locale, definition, properties)
    from .layout import connector_solution

    connector_zip = zip_bytes(connector_solution(p, built[names.DEFINITION], properties, built.get(names.ICON), built.get(names.SCRIPT)))
    flow_unique, flow_entries = flow_solution(p, definition, built[names.DEFINITION], properties, built.get(names.ICON), built.get(names.SCRIPT))
    solutions = {zip_name(p.unique_name, p.version): connector_zip, zip_name(flow_unique, p.version): zip_bytes(flow_entries)}
    assets = {f"{ASSETS}/{name}": data for name, data in solutions.items()}
    assets[f"{ASSETS}/ImportConfig.xml"] = import_config(list(solutions))
    return {"intro.md": render(c, locale).encode("utf-8"), f"{p.unique_name}.pdpkg.zip": zip_bytes(assets)}
