"""Text from a report or a user, shown as text: the one escaping helper of the
pages, the charts, the PNGs and the exports.

A project may be named ``![图](http://host/x.png)`` or ``<a href=…>``: shown
through Streamlit's Markdown it would make every viewer fetch that address, and
in a Plotly label it would be a link. Each way of showing text has its escape:

- `md`: Streamlit's Markdown (markdown, caption, alerts, titles, every widget
  label, help and tab): ASCII punctuation backslash-escaped (CommonMark allows it
  for each), so no link, image, emphasis, list, heading, HTML tag, math or
  ``:color[…]`` directive can start, and a word joiner inside an address, so GFM
  does not make it a link; it still reads the same;
- `svg`: Plotly text (labels, hover, titles, legend names, subtitles; PNGs are
  the same figures): ``&``, ``<`` and ``>`` as entities, so no tag (Plotly turns
  ``<a href>`` into a link) and no entity;
- `plain`: our own Plotly markup (``<br>``, ``<span …>``, entities) back to plain
  text, for a slide's title and notes and a workbook's cells.

Spreadsheets are `export.packs`' (a cell is written as a string, never a formula).
Pure: no streamlit.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character: CommonMark lets a backslash escape any of
# them, and each of these starts some construct in Streamlit's Markdown (GFM,
# math with $, directives with :, HTML with <, entities with &).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# GFM turns an address in plain text into a link after the escapes are read
# (``http://…``, ``www.…``, ``a@b.c``): a word joiner (U+2060, invisible, no width)
# inside the pattern keeps it text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", flags=re.I)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def md(value: object) -> str:
    """`value` for Streamlit Markdown: shown as written (an address with an invisible
    word joiner in it), never as markup or a link."""
    text = _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, _text(value)))
    # A line break would let the next line start a block of its own; one
    # paragraph keeps a name or a message where it was put.
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def svg(value: object) -> str:
    """`value` for Plotly text (labels, hover, legend, titles): no tag, no entity."""
    return html.escape(_text(value), quote=False)


def plain(value: object, *, line_break: str = " ") -> str:
    """Plotly text (ours: ``<br>``, ``<span>``, entities) as plain text; breaks become
    `line_break`."""
    text = _BREAK.sub(line_break, _text(value))
    return html.unescape(_TAG.sub("", text)).strip()
