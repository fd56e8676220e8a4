"""Format details the readers share: YAML front matter, HTML through trafilatura, feeds.

Each function reads decoded text or raw bytes and returns plain values; failures raise
`InputFileError` with a reason naming the source.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import feedparser
import lxml.html
import trafilatura
import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from dyadwatch.errors import InputFileError
from dyadwatch.records import RawDocument

log = logging.getLogger(__name__)

FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
# htmldate's extensive search reads dates out of the article text; a publication date must
# come from metadata (meta tags, <time>, the URL), so the text's dates are left to
# infer_document_date and land in `inferred_date`.
_DATE_FROM_MARKUP_ONLY = {"extensive_search": False, "original_date": True}
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
    "table", "section", "article", "figcaption", "figure", "header", "footer", "pre",
))


# Front matter holds a few short fields; a block this long is not front matter (and PyYAML,
# pure Python here, takes seconds per megabyte).
MAX_FRONT_MATTER_CHARS = 65_536


def _first_line(exc: BaseException) -> str:
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


class FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases (a few hundred bytes of nested aliases expand to
    gigabytes: the "billion laughs"), and whose dates that do not exist (2024-13-01, an hour
    of 25) are YAML errors naming the value rather than a ValueError from `datetime`."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                problem=f"alias *{event.anchor} refused: front matter may not use anchors "
                        "and aliases")
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                problem=f"anchor &{event.anchor} refused: front matter may not use anchors "
                        "and aliases")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                problem=f"{node.value!r} is not a real date or time ({exc})") from exc


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                  FrontMatterLoader.construct_yaml_timestamp)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a text that may open with YAML front matter between `---` lines."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        return {}, text
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].strip() != "---":
        return {}, text
    closing = _FENCE.search(text, first_end + 1)
    if closing is None:
        raise InputFileError(source, f"{source}: front matter opened with --- on line 1 "
                                     "is never closed with ---")
    block = text[first_end + 1 : closing.start()]
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise InputFileError(source, f"{source}: front matter of {len(block):,} characters is "
                                     f"over the limit of {MAX_FRONT_MATTER_CHARS:,}")
    try:
        meta = yaml.load(block, Loader=FrontMatterLoader)  # a SafeLoader
    except yaml.YAMLError as exc:
        raise InputFileError(source, f"{source}: front matter is not valid YAML "
                                     f"({_first_line(exc)})") from exc
    except (ValueError, RecursionError) as exc:  # an int of 5,000 digits, [[[[...]]]]
        raise InputFileError(source, f"{source}: front matter could not be read "
                                     f"({type(exc).__name__}: {_first_line(exc)})") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputFileError(source, f"{source}: front matter is not a mapping of fields")
    return {str(k).lower(): v for k, v in meta.items()}, text[closing.end() :].lstrip("\n")


def html_document(source: str, html: str) -> RawDocument:
    """Main text and metadata of an HTML page (trafilatura; reader comments left out)."""
    try:
        result = trafilatura.bare_extraction(
            html, include_comments=False, with_metadata=True, include_tables=False,
            date_extraction_params=_DATE_FROM_MARKUP_ONLY,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise InputFileError(source, f"{source}: HTML could not be parsed ({exc})") from exc
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputFileError(source, f"{source}: no main text found in the HTML")
    return RawDocument(
        doc_source=source, text=text, fmt="html",
        title=getattr(result, "title", None), published=getattr(result, "date", None),
        author=getattr(result, "author", None), url=getattr(result, "url", None),
        category=_first(getattr(result, "categories", None)),
        language=getattr(result, "language", None),
        outlet=getattr(result, "sitename", None) or None,
    )


def _first(values: Any) -> str | None:
    if isinstance(values, list | tuple) and values:
        return str(values[0])
    return None


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one line per block element."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for el in root.iter("script", "style"):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return root.text_content()


@dataclass(frozen=True, slots=True)
class FeedEntry:
    entry_id: str | None
    text: str
    title: str | None
    published: str | None
    author: str | None
    url: str | None
    outlet: str | None = None  # the feed's own title


_CHAR_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _surrogate_reference(data: bytes) -> str | None:
    """The first character reference to U+D800-U+DFFF (which XML forbids, and on which
    feedparser fails), or None."""
    for match in _CHAR_REFERENCE.finditer(data):
        digits = match.group(1)
        value = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
        if 0xD800 <= value <= 0xDFFF:
            return match.group().decode("ascii")
    return None


def _refuse_entities(data: bytes, source: str) -> None:
    """defusedxml refuses DTDs with entity declarations (billion-laughs, external entities)."""
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputFileError(source, f"{source}: refused: the XML declares entities "
                                     f"({type(exc).__name__}; possible entity bomb)") from exc
    except Exception as exc:  # ParseError: broken XML; feedparser may still read it
        log.info("%s: XML does not parse strictly (%s); trying feedparser", source, exc)


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return entry.get("published") or entry.get("updated")


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return html_to_text(content["value"])
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def parse_feed(data: bytes, source: str) -> list[FeedEntry]:
    """The entries of an RSS/Atom feed. Raises InputFileError when it is not one."""
    _refuse_entities(data, source)
    if bad := _surrogate_reference(data):
        raise InputFileError(source, f"{source}: refers to a lone surrogate ({bad}), not a "
                                     "character; not valid XML")
    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser's own parsers fail on input it did not foresee
        raise InputFileError(source, f"{source}: feed could not be parsed "
                                     f"({type(exc).__name__}: {exc})") from exc
    if not parsed.entries:
        why = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise InputFileError(source, f"{source}: not an RSS/Atom feed, or a feed with no "
                                     f"entries{why}")
    return [
        FeedEntry(
            entry_id=entry.get("id") or None, text=_entry_text(entry),
            title=entry.get("title") or None, published=_entry_date(entry),
            author=entry.get("author") or None, url=entry.get("link") or None,
            outlet=parsed.feed.get("title") or None,
        )
        for entry in parsed.entries
    ]
