"""Hypothesis strategies for HTML: markup of every shape, good or bad, as a contributor's
Markdown or an importer might hand it to the sanitizer. Tests that hold a fast regular
expression to :class:`html.parser.HTMLParser` draw from these."""

from __future__ import annotations

from hypothesis import strategies as st

_text = st.lists(
    st.sampled_from([*"ab é<>&\"'\n\t;#", "&amp;", "&nbsp;", "&#x27;", "&lt", "<!--", "\u00a0"])
).map("".join)
_TAGS = ["p", "a", "em", "strong", "br", "img", "h2", "ul", "li", "blockquote", "code", "pre"]
_TAGS += ["table", "tr", "td", "sup", "span", "div", "hr", "script", "style", "B", "P"]
_tags = st.sampled_from(_TAGS)
_attribute = st.tuples(st.sampled_from(["href", "title", "alt", "src", "class", "onclick"]), _text)


@st.composite
def markup_before_sanitizing(draw) -> str:
    """HTML of every shape, good or bad, before the sanitizer."""
    pieces = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["text", "open", "close", "comment"]))
        if kind == "text":
            pieces.append(draw(_text))
        elif kind == "comment":
            pieces.append(f"<!--{draw(_text)}-->")
        else:
            tag = draw(_tags)
            attributes = "".join(
                f' {name}="{value.replace(chr(34), "&quot;")}"'
                for name, value in draw(st.lists(_attribute, max_size=2))
            )
            pieces.append(f"<{tag}{attributes}>" if kind == "open" else f"</{tag}>")
    return "".join(pieces)
