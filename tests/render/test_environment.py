"""The template filters (dates for readers and for feeds, counted nouns) and compiled templates."""

from __future__ import annotations

import jinja2
import pytest

from scholion import i18n
from scholion.render.environment import (
    compile_all,
    human_date,
    iso_datetime,
    make_environment,
    plural,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2019-03-05", "5 March 2019"), ("2019-12", "December 2019"), ("2019", "2019")],
)
def test_human_date_keeps_partial_dates_partial(value, shown):
    assert human_date(value) == shown


@pytest.mark.parametrize(
    ("value", "stamp"),
    [("2019-03-05", "2019-03-05T00:00:00Z"), ("2019-12", "2019-12-01T00:00:00Z")],
)
def test_iso_datetime_for_feeds(value, stamp):
    assert iso_datetime(value) == stamp


def test_plural():
    assert [plural(1, "claim"), plural(2, "claim"), plural(0, "entity", "entities")] == [
        "1 claim",
        "2 claims",
        "0 entities",
    ]


def test_templates_are_compiled_once_for_every_language_and_again_when_edited(
    tmp_path, monkeypatch
):
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    (tmp_path / "hello.html").write_text(
        "{{ _('Claims') }} {{ 1234 | number }} {{ '2019-03-25' | human_date }} "
        "{{ 3 | plural('claim') }}"
    )
    english, spanish = make_environment([tmp_path], "en"), make_environment([tmp_path], "es")
    compile_all(english)
    compile_all(spanish)
    compile_all(make_environment([tmp_path], "es"))  # the next build in the same process
    assert compiled == ["hello.html"]
    # Jinja would fold a filter on a constant into the code that every language shares: the
    # filters that speak a language are never folded.
    assert english.get_template("hello.html").render() == "Claims 1,234 25 March 2019 3 claims"
    spanish_text = spanish.get_template("hello.html").render()
    assert spanish_text.startswith("Afirmaciones 1.234 25 de marzo de 2019 3 ")
    (tmp_path / "hello.html").write_text("{{ _('Claims') }}!")  # as serve sees an edit
    assert make_environment([tmp_path], "es").get_template("hello.html").render() == (
        "Afirmaciones!"
    )
    assert compiled == ["hello.html"] * 2


TRANSLATED = (
    "{{ _('Claims') }}|{{ gettext('Claims') }}|{{ _('100%% of <%(what)s>', what='<b>&') }}|"
    "{{ _('Plain & %%') }}|{% for n in (1, 2, 5, 21) %}{{ ngettext('%(num)s claim', "
    "'%(num)s claims', n) }};{{ ngettext('%(num)s word', '%(num)s words', n, num='<i>') }};"
    "{% endfor %}{% autoescape false %}{{ _('Plain & %%') }}{{ _('<%(x)s>', x='&') }}"
    "{{ ngettext('%(num)s claim', '%(num)s claims', 3) }}{% endautoescape %}"
    "{% trans who='<b>' %}Claims by {{ who }}, 100%{% endtrans %}|"
    "{% for n in (1, 3) %}{% trans count=n %}{{ count }} claim{% pluralize %}{{ count }} claims"
    "{% endtrans %};{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_translations_are_formatted_as_jinjas_own_newstyle_gettext_does(tmp_path, language):
    """The environment's quicker ``_()``/``gettext()``/``ngettext()`` (and so ``{% trans %}``)
    give what Jinja's own "newstyle" ones give: escaped when autoescaping, variables escaped,
    ``%%`` a percent sign, plural forms by the language, and the same again for a message
    already formatted once."""
    (tmp_path / "messages.html").write_text(TRANSLATED)
    reference = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(tmp_path)),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
    )
    translate = i18n.translator(language)
    reference.install_gettext_callables(translate.gettext, translate.ngettext, newstyle=True)
    expected = reference.get_template("messages.html").render()
    assert "100% of <&lt;b&gt;&amp;>|Plain & %|" in expected and "Plain & %<&>" in expected
    ours = make_environment([tmp_path], language).get_template("messages.html")
    assert [ours.render(), ours.render()] == [expected, expected]
