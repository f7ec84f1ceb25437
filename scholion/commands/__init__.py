"""The commands around the pipeline that a contributor runs besides ``check`` and ``build``:
``serve`` (build, serve, rebuild on every change), ``new`` (scaffold a record), ``import``
(an article from HTML or text), the progress display, a corpus as a whole (``new DIR``,
``schemas``, ``clean``) and ``diff`` (the pages two builds differ by). Each calls the pipeline or
the stages below it; none is called by them.
"""
