"""Saved web pages (.html, .htm) and web archives (.mhtml, .mht): the article's
paragraphs and tables, without the site around it.

Owns turning a page into `SourceDocument` lines and blocks with lxml.html.
- Encoding is decided here, never by the parser (libxml2 silently cuts a page
  declared gb2312 at its first GBK-only character): a BOM, then the declared
  charset (the MIME part's, a `<meta charset>`/`http-equiv`, an `<?xml encoding?>`)
  tried strictly with every GB label read as GB18030 (a superset of GB2312 and
  GBK), then UTF-8, then GB18030, then charset-normalizer.
- The site's chrome is dropped: non-content elements (scripts, forms, nav, header,
  footer), hidden elements, elements whose id/class names chrome (导航, 面包屑,
  分享, 页脚, 上一篇/下一篇 …); a known government-CMS content container is read
  when there is one, else the whole body with lines that are mostly link text or
  read like chrome (上一篇, 版权所有, ICP备 …) dropped.
- A `<table>` becomes a `Table` on the HTML table model: colspan is the cell's
  `col_span`, a cell covered by a rowspan from above is an empty continuation cell
  (the shape Word's merged cells take in the .docx reader). A table holding tables,
  or with one row or column, is layout: its cells are read as text. Rows with no
  text (Word's phantom rows) are dropped.
- Text outside tables is one line per block element or `<br>`, in page order.
Known limitations: text drawn by scripts or inside images and frames is not read;
`rowspan="0"` (to the end of the table) is read as 1. Must not interpret the report.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import replace

import lxml.html
from lxml import etree

from budgetperf.reading.blocks import Cell, Paragraph, SourceDocument, Table, join_wrapped, normalize_text
from budgetperf.reading.problems import ReadError

# ---------------------------------------------------------------- encoding
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Chinese pages lie: "gb2312" pages hold GBK characters (堃, 镕, 喆 ...). GB18030 is a
# strict superset of GB2312 and GBK, so every GB label decodes as GB18030.
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "csgb2312", "gb_2312-80", "chinese"}


def sniff_encoding(data: bytes, declared: str | None = None) -> str:
    """BOM > declared (MIME part / meta / xml decl in the first 4 KB) > utf-8 > gb18030 > charset-normalizer."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    head = data[:4096]
    label = declared or next((m.group(1).decode("ascii") for m in (_XML_DECL.search(head), _META.search(head)) if m), None)
    candidates = []
    if label:
        label = label.lower()
        candidates.append("gb18030" if label in _GB_LABELS else label)
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            codecs.lookup(enc)
            data.decode(enc)  # strict: a wrong declaration falls through
            return enc
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes  # last resort (big5 pages, broken bytes)

    best = from_bytes(data).best()
    return best.encoding if best else "gb18030"


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, str]:
    enc = sniff_encoding(data, declared)
    return data.decode(enc, errors="replace"), enc


def mhtml_html_part(data: bytes) -> tuple[bytes, str | None]:
    """The first text/html part of an .mhtml/.mht (RFC 2557) with its charset parameter."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset()
    raise ReadError("no text/html part in the web archive", "网页存档（.mhtml）中没有网页正文，无法读取")


# ---------------------------------------------------------------- chrome
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form", "select", "button",
              "input", "textarea", "nav", "header", "footer", "aside", "head", "svg", "canvas", "map")
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav\w*|menu\w*|breadcrumbs?|crumbs?|position|location|dqwz|share\w*|bdshare\w*|jiathis|"
    r"foot\w*|bottom|copyright|banquan|header|head|top|topbar|sidebar|side|pager?|pages|pagination|"
    r"prev|next|prevnext|print|fontsize|zh?ihao|related|relate|xgwz|xgxx|comment\w*|toolbar|tools?|search|login|"
    r"qrcode|ewm|wzdh|friendlink|links?|gotop|backtop)(?:$|[\s_-])", re.I)
_CONTENT_NAME = re.compile(r"zoom|ucap-content|trs_editor|article|content|main|detail|wenzhang", re.I)
_CHROME_LINE = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|分享到|【?\s*打印|【?\s*关闭|当前位置|您的位置|您现在的位置|版权所有|主办单位|承办单位|"
    r"网站标识码|网站地图|联系我们|扫一扫|字号|【字体|.*ICP备|.*公网安备)")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
               "h5", "h6", "blockquote", "pre", "center", "address", "figure", "figcaption", "caption", "hr", "body"}


def _classes(el) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None


def strip_chrome(root) -> None:
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter()):
        if el.getparent() is None or not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        if _hidden(el) or (_CHROME_NAME.search(_classes(el)) and not _CONTENT_NAME.search(_classes(el))):
            el.drop_tree()


# Content containers of the CMSs Chinese government sites run on (TRS, 大汉, 拓尔思, 政府网站集约化平台 ...).
_CONTENT_XPATH = ("//*[@id='zoom' or @id='UCAP-CONTENT' or @id='Zoom' or @id='fontzoom' or @id='zoomcon' "
                  "or contains(@class,'TRS_Editor') or contains(@class,'TRS_UEDITOR') or @class='pages_content' "
                  "or @id='content' or @class='article-content' or @class='view TRS_UEDITOR trs_paper_default trs_web']")


def main_container(body):
    """A known CMS content container when there is one (the largest), else the whole body:
    what is left of the chrome then goes line by line (link density, patterns)."""
    found = [el for el in body.xpath(_CONTENT_XPATH) if len(el.text_content().strip()) > 20]
    if found:
        return max(found, key=lambda el: len(el.text_content()))
    return body


# ---------------------------------------------------------------- blocks
def _cell_text(td) -> str:
    parts, buf = [], []
    for kind, piece, _ in _flow(td):
        if kind == "text":
            buf.append(piece)
        elif buf:
            parts.append("".join(buf)); buf = []
    if buf:
        parts.append("".join(buf))
    return join_wrapped([normalize_text(p) for p in parts])


def _flow(el, in_link=False):
    """("text", s, in_link), ("break", None, _) and ("table", el, _) events in document order."""
    if el.text:
        yield "text", el.text, in_link
    for child in el:
        if isinstance(child.tag, str):
            tag = child.tag.lower()
            if tag == "br":
                yield "break", None, in_link
            elif tag == "table":
                yield "table", child, in_link
            else:
                block = tag in _BLOCK_TAGS
                if block:
                    yield "break", None, in_link
                yield from _flow(child, in_link or tag == "a")
                if block:
                    yield "break", None, in_link
        if child.tail:
            yield "text", child.tail, in_link


def table_grid(table) -> list[list[tuple[str, int, int, bool]]]:
    """HTML table model: (text, grid col, col span, is_continuation) per row; a cell covered
    by a rowspan from above becomes one empty continuation cell at the spanning cell's column."""
    rows_out = []
    pending: dict[int, tuple[int, int]] = {}  # grid col -> (rows left, col_span) of a rowspan from above
    trs = [tr for tr in table.iter("tr") if tr.xpath("ancestor::table[1]")[0] is table]
    for tr in trs:
        cells, col = [], 0
        tds = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th") and not _hidden(c)]

        def take_pending():
            nonlocal col
            while col in pending:
                left, span = pending[col]
                cells.append(("", col, span, True))
                if left > 1:
                    pending[col] = (left - 1, span)
                else:
                    del pending[col]
                col += span

        for td in tds:
            take_pending()
            span = _int(td.get("colspan"), 1, 1000)
            rspan = _int(td.get("rowspan"), 1, 65534)
            cells.append((_cell_text(td), col, span, False))
            if rspan > 1:
                pending[col] = (rspan - 1, span)
            col += span
        take_pending()
        # rowspans whose column lies beyond this row's last cell still count down
        for c in [c for c in pending if c > col]:
            left, span = pending[c]
            cells.append(("", c, span, True))
            pending[c] = (left - 1, span)
            if left <= 1:
                del pending[c]
        rows_out.append(sorted(cells, key=lambda x: x[1]))
    return rows_out


def _int(v, default, cap):
    m = re.match(r"\s*(\d+)", v or "")
    n = int(m.group(1)) if m else default
    return max(1, min(n, cap)) if n else default  # rowspan=0 means "to the end" in HTML; treat as 1


def _is_data_table(table) -> bool:
    """Layout tables (a table holding tables, or one column of prose) are read as flow."""
    if table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    return len(rows) >= 2 and max((len(r.findall("td")) + len(r.findall("th")) for r in rows), default=0) >= 2


def page_blocks(container):
    lines: list[str] = []
    blocks = []
    buf: list[tuple[str, bool]] = []

    def flush():
        if buf:
            text = join_wrapped([normalize_text("".join(s for s, _ in buf))])
            linked = sum(len(s.strip()) for s, a in buf if a)
            buf.clear()
            # a line that is mostly link text is navigation (menus, "相关链接", prev/next)
            if text and not _CHROME_LINE.match(text) and linked <= 0.5 * len(text.replace(" ", "")):
                lines.append(text)
                blocks.append(Paragraph(text, len(lines), len(lines)))

    def walk(el):
        for kind, piece, in_link in _flow(el):
            if kind == "text":
                buf.append((piece, in_link))
            elif kind == "break":
                flush()
            else:  # table
                flush()
                if not _is_data_table(piece):  # layout table: its own cells, in order, as flow
                    for td in piece.xpath("./tr/td | ./tr/th | ./tbody/tr/td | ./tbody/tr/th | ./thead/tr/* | ./tfoot/tr/*"):
                        walk(td)
                    continue
                rows = []
                for grid in table_grid(piece):
                    if not any(t for t, *_ in grid):
                        continue  # Word's phantom <tr height=0> rows, empty spacer rows
                    lines.append("\t".join(t for t, *_ in grid))
                    rows.append(tuple(Cell(t, len(lines), len(lines), c, s, k) for t, c, s, k in grid))
                if rows:
                    blocks.append(Table(tuple(rows), rows[0][0].line_start, rows[-1][0].line_end))
        flush()

    walk(container)
    return lines, blocks


def read_html(data: bytes, name: str) -> SourceDocument:
    """Read a saved web page (or a web archive, recognised by its MIME header) from bytes.

    Raises `ReadError` for a page with no readable text (an empty page, a page that
    only embeds the report as an attachment or a frame)."""
    declared = None
    if data.lstrip()[:300].lower().startswith((b"mime-version", b"from:", b"content-type", b"date:", b"subject:")):
        data, declared = mhtml_html_part(data)
    text, enc = decode_page(data, declared)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input that carries an encoding declaration
    if "\x00" in text or not text.strip():
        raise ReadError("not a web page (binary or empty)", "网页文件为空或不是有效的网页，无法读取")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"unreadable web page: {exc}", "网页文件无法解析（内容为空或已损坏）") from exc
    title_el = root.find(".//title")
    title = normalize_text(title_el.text_content()).strip() if title_el is not None else ""
    strip_chrome(root)
    body = root.find("body") if root.find("body") is not None else root
    container = main_container(body)
    lines, blocks = page_blocks(container)
    if not any(line.strip() for line in lines):
        raise ReadError("no report text on the page (an attachment link or an embedded file?)",
                        "网页中没有报告正文（可能只是附件链接或嵌入的文件），请下载附件后上传附件本身")
    # The article title often sits just outside the content container (an <h1>), or
    # only in <title> followed by the site's name (…报告_某某市财政局).
    h1 = container.xpath("preceding::h1[1] | ancestor::*/preceding-sibling::h1[1]")
    heading = normalize_text(h1[0].text_content()).strip() if h1 else re.split(r"\s*(?:_|\s-\s|\|)\s*", title)[0]
    if heading and not any(heading in line or line in heading for line in lines[:3] if line):
        lines.insert(0, heading)
        blocks = [Paragraph(heading, 1, 1)] + [_shift(b) for b in blocks]
    return SourceDocument(file=name, fmt="html", lines=lines, blocks=blocks, encoding=enc)


def _shift(b):
    """A block one line further down (a title was put above it)."""
    if isinstance(b, Paragraph):
        return replace(b, line_start=b.line_start + 1, line_end=b.line_end + 1)
    rows = tuple(tuple(replace(c, line_start=c.line_start + 1, line_end=c.line_end + 1) for c in r) for r in b.rows)
    return Table(rows, b.line_start + 1, b.line_end + 1)
