"""`ppconnector package`: the certification folder of a locale, with its readme.md generated from the YAML."""
