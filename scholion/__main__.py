"""``python -m scholion``: the command line, as the ``scholion`` command runs it."""

import sys

from scholion.cli import main

sys.exit(main())
