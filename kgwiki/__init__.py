"""kgwiki: a knowledge-graph wiki engine for Markdown vaults."""

__version__ = "0.1.0"
