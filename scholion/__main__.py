"""``python -m scholion``: the command line, as the ``scholion`` command runs it."""

from scholion.cli import run

run()
