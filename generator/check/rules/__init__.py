"""The rules of `ppconnector check` that live with the engine, one module per section of Microsoft's "Fix
Swagger Validator errors" page (operations, arrays, unsupported, parameters, properties, responses, security,
webhooks, metadata), so a rule is found where the page lists it, and one per family of our own (swagger,
certification with the English style, readme, cross_file, script, limits, localization, solution, agents).

Rule ids of Microsoft's sections are Microsoft's validator names, so a finding can be looked up on that page;
our own rules have kebab-case ids.  Severities: `error` for what the platform or the validator refuses,
`warning` for what certification reviewers ask to change, `info` for what was not checked and why.
Importing this package registers every rule.
"""

from . import (  # noqa: F401 - importing registers the rules
    agents,
    arrays,
    certification,
    cross_file,
    limits,
    localization,
    metadata,
    operations,
    operations_dynamic,
    operations_limits,
    parameters,
    properties,
    readme,
    responses,
    script,
    security,
    solution,
    style,
    swagger,
    unsupported,
    webhooks,
)
from .common import _all_dicts  # noqa: F401 - the corpus test walks definitions with it
