"""The interface in the reader's language: message catalogues, dates, numbers, direction.

Catalogues are gettext ``.po`` files in ``scholion/locales/<language>.po`` (English, Spanish and
Russian ship), read with Babel at build time, so there is no compile step to forget. A corpus
can add or override a language with ``locales/<language>.po`` in its own repository. Dates and
numbers are formatted by Babel from CLDR data, never from hand-written tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES = Path(__file__).resolve().parent / "locales"
SHIPPED = ("en", "es", "ru")


@dataclass(frozen=True)
class Translator:
    """Messages and formats for one interface language; English text is the message id."""

    language: str
    messages: dict[str, str | tuple[str, ...]] = field(default_factory=dict)

    @property
    def locale(self) -> Locale:
        return locale_of(self.language)

    @property
    def direction(self) -> str:
        return self.locale.text_direction

    def gettext(self, message: str) -> str:
        found = self.messages.get(message)
        if isinstance(found, tuple):  # also a plural message: its singular form
            found = found[0]
        return found or message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        found = self.messages.get(singular)
        if isinstance(found, tuple) and all(found):
            index = self.locale.plural_form(abs(count))
            forms = ("zero", "one", "two", "few", "many", "other")
            order = [f for f in forms if f in self.locale.plural_form.tags] + ["other"]
            return found[min(order.index(index), len(found) - 1)]
        return singular if count == 1 else plural

    def date(self, value: str) -> str:
        """A content date ("2019-03-25", "2019-03", "2019") as the language writes it."""
        return _date(self.language, value)

    def number(self, value: int | float) -> str:
        return _number(self.language, value)


@lru_cache(maxsize=1 << 16)
def _date(language: str, value: str) -> str:
    # Memoised: a site shows the same few thousand dates on tens of thousands of pages, and
    # Babel takes about 50 microseconds to format one.
    parts = [int(p) for p in value.split("-")]
    day = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    if len(parts) == 3:
        return format_date(day, "long", locale=locale_of(language))
    return format_skeleton("yMMMM" if len(parts) == 2 else "y", day, locale=locale_of(language))


@lru_cache(maxsize=1 << 16, typed=True)
def _number(language: str, value: int | float) -> str:
    return format_decimal(value, locale=locale_of(language))


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where shown."""
    return message


@cache
def locale_of(language: str) -> Locale:
    """The closest CLDR locale for a BCP 47 tag (``pt-BR`` -> pt_BR, unknown -> its base).
    Plain ``en`` is British English ("5 March 2019"), the theme's own spelling; a corpus that
    wants "March 5, 2019" sets ``language: en-US``."""
    if language == "en":
        language = "en-GB"
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(language.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def language_name(language: str) -> str:
    """The language's name in itself ("English", "Español", "Русский"), for language links."""
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return language
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]


def text_direction(language: str) -> str:
    """ "rtl" for right-to-left scripts (Arabic, Hebrew, Persian…), else "ltr"."""
    return locale_of(language).text_direction


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def translator(language: str, extra: Path | None = None) -> Translator:
    """The translator for ``language``; English, or a language without a catalogue, is
    identity (message ids are the English text). The corpus's catalogue in ``extra`` overrides
    the shipped one message by message, so it may hold only the messages it changes.

    Read once per version of the catalogues (each file's size and modification time), so that
    ``serve`` shows a corpus catalogue edited while it runs."""
    stats = [(path, path.stat()) for path in catalogues(language, extra)]
    return _translator(language, tuple((p, st.st_mtime_ns, st.st_size) for p, st in stats))


@lru_cache(maxsize=64)
def _translator(language: str, versions: tuple[tuple[Path, int, int], ...]) -> Translator:
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in (m for path, _, _ in versions for m in read_catalog(path)):
        if not message.id or not (message.string and all(message.string)):
            continue
        # A plural message's id and translations are a tuple (singular first), anything else's
        # text; babel's type allows a list as well, which read_po never makes.
        key = message.id if isinstance(message.id, str) else message.id[0]
        messages[key] = message.string if isinstance(message.string, str) else tuple(message.string)
    return Translator(language, messages)


def catalogues(language: str, extra: Path | None = None) -> list[Path]:
    """The catalogues that exist for ``language``, least specific first: the shipped ones, then
    the corpus's; for a regional tag (``es-MX``) its base language's (``es``) before its own."""
    tags = list(dict.fromkeys([language.split("-")[0], language]))
    folders = [LOCALES, *([extra] if extra else [])]
    return [path for folder in folders for tag in tags if (path := folder / f"{tag}.po").is_file()]


def has_catalogue(language: str, extra: Path | None = None) -> bool:
    return bool(catalogues(language, extra))
