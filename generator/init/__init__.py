"""`ppconnector init`: a new connector's source, icon, example fixtures and CI workflow, from templates."""
