"""The translation workflow: every display string of a connector with a stable id, its translations,
their freshness (the ``<locale>@`` hash of the source text each was made from), PO/XLIFF catalogs for
translators, and the way back into the YAML without touching anything else in it."""
