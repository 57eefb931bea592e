"""The sections of Microsoft's readme template (PowerPlatformConnectors/templates/*/readme.md), with the
heading each locale gives them: the readme generator writes them, `check` looks for them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str  # the key under connector.readme in the YAML
    required: bool
    headings: dict[str, str]  # locale -> heading text
    aliases: tuple[str, ...] = ()  # other spellings merged readmes use for the same section (lower case)
    # Whether nearly every certified readme Microsoft merged has it (at least 80% of ../shared/corpus; the
    # test measures it): a missing one is a warning, else only info, since reviewers let it pass.
    enforced: bool = False


PUBLISHER = Section("publisher", True, {"en": "Publisher", "cs": "Vydavatel"})
PREREQUISITES = Section("prerequisites", True, {"en": "Prerequisites", "cs": "Požadavky"}, ("pre-requisites", "prerequisite"), True)
OPERATIONS = Section("operations", True, {"en": "Supported Operations", "cs": "Podporované operace"},
                     ("supported actions", "actions", "operations"), True)
CREDENTIALS = Section("obtaining_credentials", True, {"en": "Obtaining Credentials", "cs": "Získání přihlašovacích údajů"},
                      ("how to get credentials", "getting credentials", "obtaining credential"))
GETTING_STARTED = Section("getting_started", False, {"en": "Getting Started", "cs": "Začínáme"})
KNOWN_ISSUES = Section("known_issues", True, {"en": "Known Issues and Limitations", "cs": "Známé problémy a omezení"},
                       ("known issues", "known limitations", "limitations", "known issues & limitations"))
FAQ = Section("faq", False, {"en": "Frequently Asked Questions", "cs": "Časté dotazy"}, ("faq",))
DEPLOYMENT = Section("deployment", True, {"en": "Deployment Instructions", "cs": "Pokyny k nasazení"}, ("deployment",))

# In the template's order.
SECTIONS = (PUBLISHER, PREREQUISITES, OPERATIONS, CREDENTIALS, GETTING_STARTED, KNOWN_ISSUES, FAQ, DEPLOYMENT)
TEXT_SECTIONS = (PREREQUISITES, CREDENTIALS, GETTING_STARTED, KNOWN_ISSUES, FAQ, DEPLOYMENT)  # written in the YAML


def heading(section: Section, locale: str) -> str:
    return section.headings.get(locale, section.headings.get(locale.split("-")[0], section.headings["en"]))


def names(section: Section) -> set[str]:
    """Every heading text that counts as this section, lower case."""
    return {h.lower() for h in section.headings.values()} | set(section.aliases)
