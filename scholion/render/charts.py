"""Pictures of the corpus: which charts each page shows, drawn as static, accessible SVG
(:mod:`.svg`, with layouts from :mod:`.layout`): no JavaScript, the same bytes every build.

Each chart comes with the same data as rows, so templates show a table beside it for screen
readers and print.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from scholion.model import Corpus
from scholion.render.layout import backbone, layered, radial, spring
from scholion.render.svg import MAX_NODES, Chart, bar_chart, network, timeline

# Each takes ``_``, the interface's gettext (templates pass ``interface.gettext``), so titles,
# descriptions, legends and table headings are in the reader's language. Names and labels that
# come from the corpus are shown as written.

Gettext = Callable[[str], str]


def _same(text: str) -> str:
    return text


def rating_distribution(corpus: Corpus, _: Gettext = _same) -> Chart:
    counts = Counter(c.rating for c in corpus.claims.values())
    bars = [(t.label, counts[t.id]) for t in corpus.config.ratings]
    listing = ", ".join(f"{label}: {n}" for label, n in bars)
    return bar_chart(
        "ratings-chart",
        _("Claims by rating"),
        _("Claims by rating: %(list)s") % {"list": listing},
        bars,
        [f"rating-{t.id}" for t in corpus.config.ratings],
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


def entity_network(
    corpus: Corpus, entity_id: str, limit: int = 12, _: Gettext = _same
) -> Chart | None:
    """The entities most often named alongside one entity, around it."""
    neighbours = list(corpus.co_mentions.get(entity_id, ()))[:limit]
    if not neighbours:
        return None
    labels = {e: corpus.entities[e].name for e in [entity_id, *(n for n, _w in neighbours)]}
    edges = [(entity_id, other, weight) for other, weight in neighbours]
    name = labels[entity_id]
    return network(
        f"network-{entity_id}",
        _("Entities named with %(name)s") % {"name": name},
        _("The entities most often named in the same articles as %(name)s: %(count)s")
        % {"name": name, "count": len(neighbours)},
        labels,
        edges,
        radial(entity_id, [n for n, _w in neighbours]),
        centre=entity_id,
        header=(_("Entity"), _("Named with"), _("Articles")),
    )


def corpus_network(corpus: Corpus, _: Gettext = _same) -> Chart | None:
    """Co-mentions among the most-mentioned entities (at most :data:`MAX_NODES`)."""
    mentioned = sorted(
        corpus.entities, key=lambda e: (-len(corpus.articles_by_entity.get(e, ())), e)
    )[:MAX_NODES]
    keep = set(mentioned)
    edges = backbone(
        [
            (a, b, w)
            for a in sorted(keep)
            for b, w in corpus.co_mentions.get(a, ())
            if b in keep and a < b
        ]
    )
    if not edges:
        return None
    labels = {e: corpus.entities[e].name for e in mentioned}
    return network(
        "corpus-network",
        _("Who is named with whom"),
        _("Links between the %(count)s most-mentioned entities; each keeps its three strongest")
        % {"count": len(mentioned)},
        labels,
        edges,
        spring(mentioned, edges),
        header=(_("Entity"), _("Named with"), _("Articles")),
    )


def provenance_chart(corpus: Corpus, claim_id: str, _: Gettext = _same) -> Chart | None:
    """The claim, the sources it rests on, and what those rely on, in columns by depth."""
    claim = corpus.claims[claim_id]
    return _provenance(
        corpus,
        f"provenance-{claim_id}",
        _("This claim"),
        [cs.source for cs in claim.sources],
        _("What the claim rests on"),
        _,
    )


def source_provenance_chart(corpus: Corpus, source_id: str, _: Gettext = _same) -> Chart | None:
    """The source and everything it relies on, down to the primary sources."""
    return _provenance(
        corpus,
        f"provenance-{source_id}",
        _("This source"),
        list(corpus.sources[source_id].cites),
        _("What the source relies on"),
        _,
    )


def _provenance(
    corpus: Corpus, chart_id: str, root_label: str, first: list[str], title: str, _: Gettext
) -> Chart | None:
    if not first:
        return None
    root = "this"
    layers = {root: 0}
    labels = {root: root_label}
    edges: list[tuple[str, str, int]] = []
    frontier = [(root, source_id) for source_id in first]
    depth = 1
    while frontier and depth < 8:
        following = []
        for parent, source_id in frontier:
            node = f"source:{source_id}"
            edges.append((parent, node, 1))
            if node not in layers:
                layers[node] = depth
                labels[node] = corpus.sources[source_id].title
                following += [(node, cited) for cited in corpus.sources[source_id].cites]
        frontier, depth = following, depth + 1
    return network(
        chart_id,
        title,
        _("%(item)s and the sources in its chain, from left to right: %(count)s")
        % {"item": root_label, "count": len(layers) - 1},
        labels,
        edges,
        layered(layers),
        centre=root,
        header=(_("Item"), _("Relies on"), ""),
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
