"""`ppconnector diff`: what a connector change does to the flows people already run."""
