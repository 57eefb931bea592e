"""`ppconnector docs`: the connector's reference page per locale, in Markdown."""
