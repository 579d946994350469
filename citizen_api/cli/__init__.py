"""The ``onetrip`` command line."""

from citizen_api.cli.main import main

__all__ = ["main"]
