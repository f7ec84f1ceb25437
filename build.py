#!/usr/bin/env python3
"""Scholion's command line: ``python build.py build | check``; the engine is ``scholion/``."""

from scholion.cli import run

if __name__ == "__main__":
    run()
