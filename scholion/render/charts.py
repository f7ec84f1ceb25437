"""Pictures of the corpus: which charts each page shows, drawn as static, accessible SVG
(:mod:`.svg`, with layouts from :mod:`.layout`): no JavaScript, the same bytes every build.

Each chart comes with the same data as rows, so templates show a table beside it for screen
readers and print.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from scholion.model import Corpus
from scholion.render.layout import arc_order, backbone
from scholion.render.svg import MAX_NODES, Chart, bar_chart, network, timeline

# Each takes ``_``, the interface's gettext (templates pass ``interface.gettext``), so titles,
# descriptions, legends and table headings are in the reader's language. Names and labels that
# come from the corpus are shown as written.

Gettext = Callable[[str], str]


def _same(text: str) -> str:
    return text


def rating_distribution(corpus: Corpus, _: Gettext = _same) -> Chart | None:
    """Claims per rating, in the scale's order; ratings no claim has are left out."""
    counts = Counter(c.rating for c in corpus.claims.values())
    used = [t for t in corpus.config.ratings if counts[t.id]]
    if not used:
        return None
    bars = [(t.label, counts[t.id]) for t in used]
    listing = ", ".join(f"{label}: {n}" for label, n in bars)
    return bar_chart(
        "ratings-chart",
        _("Claims by rating"),
        _("Claims by rating: %(list)s") % {"list": listing},
        bars,
        [f"rating-{t.id}" for t in used],
        _("Rating"),
        _("Claims"),
    )


def activity_timeline(corpus: Corpus, _: Gettext = _same) -> Chart:
    """Articles and claim appearances per month (per year when the corpus spans > 5 years)."""
    months = sorted({a.date[:7] for a in corpus.articles.values()})
    by_year = len(months) > 60 or any(len(m) < 7 for m in months)
    key = (lambda date: date[:4]) if by_year else (lambda date: date[:7])
    articles = Counter(key(a.date) for a in corpus.articles.values())
    claims = Counter(
        key(corpus.articles[a.article].date) for apps in corpus.appearances.values() for a in apps
    )
    periods = [(p, articles[p], claims[p]) for p in sorted(articles)]
    title = _("Articles and claims by year") if by_year else _("Articles and claims by month")
    values = {
        "articles": len(corpus.articles),
        "claims": sum(claims.values()),
        "periods": len(periods),
    }
    return timeline(
        "timeline-chart",
        title,
        _("Articles: %(articles)s; claim appearances: %(claims)s; periods: %(periods)s") % values,
        periods,
        (_("Period"), _("Articles"), _("Claims")),
    )


def corpus_network(corpus: Corpus, _: Gettext = _same, root: str = "") -> Chart | None:
    """Co-mentions among the most-named entities (at most :data:`MAX_NODES`: by articles, then
    mentions), each keeping its two strongest links, each node a link to its page (``root``:
    the page's path to the site)."""
    mentioned = sorted(
        corpus.entities,
        key=lambda e: (
            -len(corpus.articles_by_entity.get(e, ())),
            -len(corpus.mentions_by_entity.get(e, ())),
            e,
        ),
    )[:MAX_NODES]
    keep = set(mentioned)
    edges = backbone(
        [
            (a, b, w)
            for a in sorted(keep)
            for b, w in corpus.co_mentions.get(a, ())
            if b in keep and a < b
        ],
        per_node=2,
    )
    if not edges:
        return None
    drawn = sorted({n for a, b, _w in edges for n in (a, b)})
    labels = {e: corpus.entities[e].name for e in drawn}
    return network(
        "corpus-network",
        _("Who is named with whom"),
        _("Links between the %(count)s most-named entities; each keeps its two strongest")
        % {"count": len(drawn)},
        labels,
        edges,
        arc_order(drawn, edges),
        header=(_("Entity"), _("Named with"), _("Articles")),
        links={e: f"{root}entities/{e}/" for e in drawn},
    )


def mentions_over_time(corpus: Corpus, entity_id: str, _: Gettext = _same) -> Chart | None:
    """How often an entity is mentioned per month (or year)."""
    periods = corpus.mention_periods.get(entity_id, ())
    if len(periods) < 2:
        return None
    name = corpus.entities[entity_id].name
    total = sum(n for _p, n in periods)
    return bar_chart(
        f"mentions-{entity_id}",
        _("Mentions of %(name)s over time") % {"name": name},
        _("Mentions: %(total)s; periods: %(periods)s") % {"total": total, "periods": len(periods)},
        list(periods),
        label_header=_("Period"),
        count_header=_("Mentions"),
    )
