"""A densely annotated corpus, generated: one article of about 4,000 words carrying more than 400
overlapping annotations, as research and fact-checking corpora do (propaganda-technique datasets
carry 20-100 overlapping spans per 1,000 words).

Every word of the text is made up and different from every other, so any run of words is a quote
that matches once. Annotations come in clusters every 15-25 words: some nested four deep (a word,
then three quotes each around the last), some crossing (two quotes that overlap without either
holding the other), some alone; most are notes of two kinds, one cluster in five is led by a claim
with its explanation, and one in seven by a citation. Notes are of every length, from a few words
to a paragraph. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from tests.helpers import PUBLISHER, minimal_article, write_corpus

SLUG = "dense"
CONSONANTS = "bdfgklmnprstvz"
VOWELS = "aeiou"
SENTENCES = (
    "The wording presents a contested figure as settled.",
    "No source is named for this.",
    "The same event is dated differently two paragraphs later, and neither date is attributed to "
    "anyone; a reader cannot tell which the author relies on.",
    "A loaded word, used in the author's own voice.",
    "Speculation, set out as if it were a report of fact, with no sign of who speculates or on "
    "what grounds. The passage is the article's main support for its headline, so the reader "
    "should weigh it with that in mind.",
    "Context: the agreement quoted here was signed earlier and covers other equipment.",
)


def word(n: int) -> str:
    """The n-th made-up word: two or three syllables, never the same for two n."""
    syllables = []
    n += 70 * 70  # at least three syllables' worth of digits: all words unique and pronounceable
    while n:
        n, digit = divmod(n, 70)
        syllables.append(CONSONANTS[digit // 5] + VOWELS[digit % 5])
    return "".join(syllables)


def _paragraphs(rng: random.Random, words: int) -> list[list[str]]:
    """Paragraphs of 50-130 words in sentences of 6-18, each a list of tokens as written."""
    paragraphs: list[list[str]] = []
    n = 0
    while n < words:
        tokens: list[str] = []
        for _ in range(rng.randint(50, 130)):
            tokens.append(word(n))
            n += 1
        at = 0
        while at < len(tokens):
            end = min(len(tokens), at + rng.randint(6, 18))
            tokens[at] = tokens[at].capitalize()
            tokens[end - 1] += "."
            at = end
        paragraphs.append(tokens)
    return paragraphs


def _quote(tokens: list[str], start: int, end: int) -> str:
    return " ".join(tokens[max(0, start) : min(len(tokens), end + 1)])


def _spans(rng: random.Random, length: int) -> list[list[tuple[int, int]]]:
    """Clusters of (first, last) word positions in a paragraph of ``length`` words."""
    clusters = []
    at = rng.randint(2, 6)
    while at < length - 7:
        shape = rng.random()
        if shape < 0.35:  # nested four deep
            clusters.append([(at, at), (at - 1, at + 1), (at - 2, at + 3), (at - 2, at + 6)])
        elif shape < 0.7:  # crossing
            clusters.append([(at, at + 3), (at + 2, at + 6)])
        else:
            clusters.append([(at, at + rng.randint(0, 4))])
        at += rng.randint(15, 25)
    return clusters


def dense_corpus(root: Path, words: int = 4000, seed: int = 20) -> Path:
    """Write the corpus under ``root``: the article ``dense``, its sidecar and a source."""
    rng = random.Random(seed)
    paragraphs = _paragraphs(rng, words)
    notes: list[dict] = []
    claims: list[dict] = []
    citations: list[dict] = []
    body: list[str] = []
    cluster = 0
    for number, tokens in enumerate(paragraphs):
        if number and number % 6 == 0:
            body.append(f"## {word(100_000 + number).capitalize()} {word(200_000 + number)}")
        body.append(" ".join(tokens))
        for spans in _spans(rng, len(tokens)):
            cluster += 1
            for depth, (first, last) in enumerate(spans):
                quote = _quote(tokens, first, last)
                outermost = depth == len(spans) - 1
                if outermost and cluster % 5 == 0:
                    claims.append(
                        {
                            "id": f"claim-{cluster}",
                            "quote": quote,
                            "statement": f"Statement {cluster}: {quote}.",
                            "rating": "unverified" if cluster % 2 else "accurate",
                            "explanation": " ".join(SENTENCES[cluster % 3 : cluster % 3 + 2]),
                        }
                    )
                elif outermost and cluster % 7 == 0:
                    citations.append({"source": "dense-report", "quote": quote})
                else:
                    text = " ".join(SENTENCES[: 1 + rng.randrange(len(SENTENCES))][-2:])
                    notes.append(
                        {"kind": rng.choice(["context", "framing"]), "quote": quote, "text": text}
                    )
    annotations = {"claims": claims, "notes": notes, "citations": citations}
    sidecar = "# yaml-language-server: $schema=../../schemas/sidecar.schema.json\n"
    sidecar += yaml.safe_dump(annotations, allow_unicode=True, sort_keys=False, width=100)
    source = "title: A report the dense article cites\nkind: wire\npublisher: example-times\n"
    return write_corpus(
        root,
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/sources/dense-report.yaml": source,
            f"content/articles/{SLUG}.md": minimal_article(
                "\n\n".join(body), title="A densely annotated article"
            ),
            f"content/articles/{SLUG}.yaml": sidecar,
        },
    )
