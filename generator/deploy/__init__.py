"""`ppconnector deploy`: build, check, then run paconn safely (or print the pac command line).

Kept import-free: the CLI imports this package on every start.
"""

CREATE, UPDATE = "create", "update"
SECRET_ENV = "PPCONNECTOR_CLIENT_SECRET"  # the OAuth client secret, handed to paconn --secret, never printed
