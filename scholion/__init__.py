"""Scholion: a static site generator for annotated corpora.

The engine is a pipeline of small stages (see ``pipeline.py`` and docs/architecture.md):
load -> validate -> anchor -> link -> render -> write -> index.
"""

__version__ = "0.1.0"
