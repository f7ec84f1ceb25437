"""The commands around the pipeline that a contributor runs besides ``check`` and ``build``:
``serve`` (build, serve, rebuild on every change), ``new`` (scaffold a record), ``import``
(an article from HTML or text), and the progress display. Each calls the pipeline or the load
stage; none is called by them.
"""
