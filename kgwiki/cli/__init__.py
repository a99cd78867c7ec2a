"""The ``kgwiki`` command line: one module per command group, each ``cmd_*.py``."""
