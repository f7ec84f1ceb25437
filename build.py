#!/usr/bin/env python3
"""Scholion's command line: ``python build.py build | check``; the engine is ``scholion/``."""

import sys

from scholion.cli import main

if __name__ == "__main__":
    sys.exit(main())
