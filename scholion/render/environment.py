"""The Jinja environment: autoescaping everywhere, strict undefined, and the few filters pages use.

Templates come from the corpus's ``templates/`` first and the engine's default theme second, so a
corpus overrides any template by placing a file with the same name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from markupsafe import Markup

from scholion import i18n, jsontext
from scholion.link import authorities
from scholion.render import highlight


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory by template and source checksum, for every interface
    language.

    Compiling was most of what rebuilding a handful of pages cost (0.84 of 1.4 s to render 21
    pages of the two-language demo), and it was done again by every build of a ``serve``
    session, by every forked render worker and for every language. This cache outlives a build
    in the same process, and :func:`compile_all` fills it before workers are forked. One
    compilation serves every language because nothing language-specific is compiled in: Jinja
    folds filters applied to constants while compiling (``{{ 1234 | number }}`` would become
    "1,234" in the code itself), so the filters that speak a language take the rendering
    context (:func:`_language_filter`), which Jinja never folds. An edited template has a new
    checksum, so it is compiled again. Nothing is written to disk: compiled code read back
    from a file anyone could have written would run as it is."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}  # template -> (checksum, code)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._code.get(bucket.key, ("", None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:  # the latest version of a template replaces the earlier
            self._code[bucket.key] = (bucket.checksum, bucket.code)


COMPILED = CompiledTemplates()
"""The compiled templates of this process (a cache: output never depends on it)."""


def _language_filter(speak: Callable[..., str]) -> Callable[..., str]:
    """A filter in the environment's interface language (``speak(translator, value, ...)``,
    the translator its ``interface`` global), taking the rendering context so that Jinja
    never folds it into compiled code, which every language shares
    (:class:`CompiledTemplates`)."""

    @jinja2.pass_context
    def spoken(context: jinja2.runtime.Context, value: Any, *args: Any) -> str:
        return speak(context.environment.globals["interface"], value, *args)

    return spoken


def _plural(translate: i18n.Translator, count: int, singular: str, many: str | None = None) -> str:
    return plural(count, singular, many, translate=translate)


def compile_all(env: jinja2.Environment) -> None:
    """Compile every page template and partial of a language, here, before render workers are
    forked (they inherit the compiled code instead of each compiling it). A template that does
    not compile is left for the page that uses it to report, with its location."""
    for name in env.list_templates(extensions=["html", "xml"]):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):
            continue


def make_environment(
    template_dirs: Sequence[Path], language: str = "en", locales: Path | None = None
) -> jinja2.Environment:
    """The environment for one interface ``language``: ``_()``/``ngettext()`` read its
    catalogue (the corpus's ``locales/<language>.po`` first, see :mod:`scholion.i18n`), and
    dates and numbers are formatted for it by Babel."""
    translate = i18n.translator(language, locales)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED,
        # An environment lives for one render, so a template never changes under it: without
        # this, every page asked the file system for the date of each template it includes
        # (24 stats a claim page).
        auto_reload=False,
        # Every template is kept (a few dozen): a plain dict, where the default LRU cache took
        # a lock and reordered a list for each include of each page.
        cache_size=-1,
    )
    _install_translations(env, translate)
    env.globals["text_direction"] = i18n.text_direction
    env.globals["interface"] = translate
    env.globals["authority_schemes"] = authorities.schemes
    env.filters["human_date"] = _language_filter(i18n.Translator.date)
    env.filters["number"] = _language_filter(i18n.Translator.number)
    env.filters["iso_datetime"] = iso_datetime
    env.filters["plural"] = _language_filter(_plural)
    env.filters["trusted_html"] = trusted_html
    env.filters["tag"] = tag
    env.filters["json_ld"] = json_ld
    env.filters["cut_before"] = cut_before
    env.filters["cut_after"] = cut_after
    env.filters["former_id"] = former_id
    return env


def _install_translations(env: jinja2.Environment, translate: i18n.Translator) -> None:
    """``_()``, ``gettext()`` and ``ngettext()`` as Jinja's "newstyle" gettext has them (the
    message is a format string even without variables, escaped when autoescaping, its
    variables filled in by ``%``), called directly: Jinja's own went through three context
    calls and a lookup each, about 5% of a cold build's time in all. A message without
    variables is translated and formatted once per environment."""
    # Added to the environment by the jinja2.ext.i18n extension, at run time (extend()): no
    # type can show it. It also tells the extension that the calls are newstyle.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translate.gettext, translate.ngettext, newstyle=True
    )
    made: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def gettext(context: jinja2.nodes.EvalContext, message: str, /, **variables: Any) -> str:
        if variables:
            return _formatted(translate.gettext(message), context.autoescape, variables)
        key = (message, context.autoescape)
        found = made.get(key)
        if found is None:
            found = made[key] = _formatted(translate.gettext(message), context.autoescape, {})
        return found

    @jinja2.pass_eval_context
    def ngettext(
        context: jinja2.nodes.EvalContext,
        singular: str,
        plural: str,
        count: int,
        /,
        **variables: Any,
    ) -> str:
        variables.setdefault("num", count)
        return _formatted(
            translate.ngettext(singular, plural, count), context.autoescape, variables
        )

    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)


def _formatted(message: str, autoescape: bool, variables: dict[str, Any]) -> str:
    return (Markup(message) if autoescape else message) % variables


def iso_datetime(value: str) -> str:
    """A full RFC 3339 timestamp for feeds and sitemaps (partial dates take the first day)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return (
        dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
    )


def human_date(value: str, language: str = "en") -> str:
    """ "2019-03-25" -> "25 March 2019" (in ``language``, by Babel); partial dates ("2019-03",
    "2019") stay partial."""
    return i18n.translator(language).date(value)


def plural(
    count: int, singular: str, many: str | None = None, translate: i18n.Translator | None = None
) -> str:
    """ "3 claims": ``count`` in the locale's digits and the noun in the right plural form.
    Kept for corpus templates; the theme writes ``ngettext("%(num)d claim", …)`` so the whole
    phrase is one message."""
    translate = translate or i18n.translator("en")
    return translate.ngettext(f"%(num)s {singular}", f"%(num)s {many or singular + 's'}", count) % {
        "num": translate.number(count)
    }


def cut_before(context: str) -> str:
    """ "…" when the context before a quote starts mid-sentence (the sentence was longer than the
    context limit), else nothing: a context that starts a sentence needs no ellipsis."""
    opening = context.lstrip()[:1]
    return (
        "…"
        if opening and not (opening.isupper() or opening.isdigit() or opening in OPENERS)
        else ""
    )


def cut_after(context: str) -> str:
    """ "…" when the context after a quote stops mid-sentence, else nothing."""
    closing = context.rstrip()[-1:]
    return "…" if closing and closing not in CLOSERS else ""


OPENERS = "\"'\u201c\u2018\u00ab(["
"""Characters a sentence may start with besides capitals and digits (quotes, brackets)."""
CLOSERS = ".!?\u2026:;\"'\u201d\u2019\u00bb)]"
"""Characters a sentence or clause may end with."""


def tag(value: str, name: str, **attributes: str) -> Markup:
    """``value`` escaped inside an element, for markup inside a translated sentence:
    ``_("Described by %(schema)s", schema="corpus.json" | tag("a", href="corpus.json"))``. The
    element and attribute names come from the template; text and attribute values are escaped."""
    attrs = Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attributes.items())
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), attrs, value)


def trusted_html(value: str) -> Markup:
    """Mark HTML as safe. Only for HTML produced by :mod:`scholion.text.markup` (sanitized) or by
    :func:`scholion.text.index.highlight` over sanitized HTML; never for raw content values."""
    return Markup(value)


def former_id(old: str, current: str) -> Markup:
    """An old id kept as an alias of ``current`` (:func:`scholion.render.highlight.former_id`),
    or nothing when there is none: ``{{ ann.former | former_id(ann.anchor) }}``."""
    return Markup(highlight.former_id(old, current) if old else "")


def json_ld(value: object) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` data block: ``<``, ``>`` and ``&`` are
    written as ``\\u003c``… so no value can close the script or open a comment."""
    text = jsontext.compact(value).decode("utf-8")
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)
