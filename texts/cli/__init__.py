"""The ``texts`` command line."""
