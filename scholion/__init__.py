"""Scholion: a static site generator for annotated corpora.

The engine is a pipeline of small stages, each in its folder, passing typed, immutable values
(``pipeline/`` alone knows the order; docs/architecture.md draws it):

load → validate → link → render → export → write → index → publish
"""

__version__ = "0.1.0"
