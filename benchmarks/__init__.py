"""Benchmarks: a synthetic corpus generator, the floor, and a runner that times whole builds.

``make bench`` runs them; the figures and what they mean are in docs/performance.md.
"""
