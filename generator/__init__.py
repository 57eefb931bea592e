"""ppconnector: Power Platform custom connectors from one YAML source."""

# The one place the version is written: pyproject.toml reads it, `ppconnector --version` prints it, and
# CHANGELOG.md's newest heading names it (tests/test_project.py).  Semantic versioning (see CHANGELOG.md).
__version__ = "0.2.0"
