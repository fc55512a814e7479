"""Saved web pages and web archives: encodings, the site's chrome, table spans."""

from __future__ import annotations

import codecs

import pytest

from budgetperf.reading import ReadError
from budgetperf.reading.blocks import Table
from budgetperf.reading.formats import read_bytes
from budgetperf.reading.html import read_html, sniff_encoding

ARTICLE = ("<h1>2023年度某某项目绩效评价报告</h1><div id='zoom'><p>一、项目基本情况</p>"
           "<p>项目负责人王堃，预算资金1,250.00万元，执行率98.69%。</p>"
           "<table border=1><tr><th rowspan=2>一级指标</th><th rowspan=2>二级指标</th><th rowspan=2>三级指标</th>"
           "<th colspan=2>得分</th></tr><tr><td>分值</td><td>得分</td></tr>"
           "<tr><td rowspan=2>产出指标</td><td>数量指标</td><td>培训人次</td><td>10</td><td>9.5</td></tr>"
           "<tr><td>质量指标</td><td>合格率≥95%</td><td>20</td><td>18</td></tr>"
           "<tr><td colspan=3>合计</td><td>100</td><td>91.5</td></tr></table>"
           "<p>三、存在的问题</p><p>部分资金拨付滞后。</p></div>")
CHROME = ("<div class='nav'><a href='/'>首页</a><a href='/a'>政务公开</a></div>"
          "<div class='position'>当前位置：<a href='/'>首页</a> &gt; 财政信息</div>",
          "<div class='bdshare'>分享到：<a>微信</a></div><div class='pages'><a>上一篇：某通知</a><a>下一篇：某公告</a></div>"
          "<div class='footer'>版权所有：某某市财政局 某ICP备12345678号</div><script>var t='脚本文字';</script>")


def page(charset: str | None = "utf-8", body: str = ARTICLE) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>报告_某某市财政局</title></head><body>{CHROME[0]}{body}{CHROME[1]}</body></html>"


@pytest.mark.parametrize("data, encoding", [
    (page("utf-8").encode("utf-8"), "utf-8"),
    (page("gb2312").encode("gbk"), "gb18030"),           # GBK-only 堃 under a gb2312 label
    (page("gbk").encode("gbk"), "gb18030"),
    (page(None).encode("gbk"), "gb18030"),               # no declaration at all
    (page(None).encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + page("gb2312").encode("utf-8"), "utf-8-sig"),  # BOM beats a wrong label
    (b'<?xml version="1.0" encoding="gb2312"?>' + page(None).encode("gbk"), "gb18030"),
])
def test_every_encoding_reads_the_whole_page(data, encoding):
    doc = read_html(data, "p.html")
    assert doc.encoding == encoding
    assert "项目负责人王堃，预算资金1,250.00万元，执行率98.69%。" in doc.lines
    assert doc.lines[-1] == "部分资金拨付滞后。"  # not cut at the first GBK-only character


def test_a_wrong_label_falls_through_to_what_decodes():
    assert sniff_encoding(page("utf-8").encode("gbk")) == "gb18030"


def test_site_chrome_is_dropped_and_the_title_kept():
    doc = read_html(page().encode("utf-8"), "p.html")
    text = "\n".join(doc.lines)
    assert doc.lines[0] == "2023年度某某项目绩效评价报告"
    for chrome in ("首页", "当前位置", "分享到", "上一篇", "下一篇", "版权所有", "ICP备", "脚本文字"):
        assert chrome not in text


def test_spans_map_onto_the_grid_other_readers_produce():
    doc = read_html(page().encode("utf-8"), "p.html")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    grid = [[(c.text, c.col, c.col_span, c.is_continuation) for c in row] for row in table.rows]
    assert grid[0] == [("一级指标", 0, 1, False), ("二级指标", 1, 1, False), ("三级指标", 2, 1, False), ("得分", 3, 2, False)]
    assert grid[1] == [("", 0, 1, True), ("", 1, 1, True), ("", 2, 1, True), ("分值", 3, 1, False), ("得分", 4, 1, False)]
    assert grid[3][0] == ("", 0, 1, True)  # 产出指标 merged over two rows
    assert grid[4][0] == ("合计", 0, 3, False)
    # text outside the table keeps its own lines, in page order
    assert doc.lines.index("一、项目基本情况") < table.line_start < doc.lines.index("三、存在的问题") + 1


def test_layout_tables_and_phantom_rows():
    body = ("<table><tr><td><div class='nav'>导航</div><table><tr><td>"
            "<p>某某项目绩效自评报告</p><table border=1><tr><td>指标</td><td>分值</td></tr>"
            "<tr><td>培训人次</td><td>10</td></tr><tr height=0><td></td><td></td></tr></table>"
            "</td></tr></table></td></tr></table>")
    doc = read_html(page(body=body).encode("utf-8"), "old.htm")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.texts() for t in tables] == [[["指标", "分值"], ["培训人次", "10"]]]
    assert "某某项目绩效自评报告" in doc.lines


def test_web_archive_reads_its_html_part():
    import quopri

    html = quopri.encodestring(page("gb2312").encode("gbk")).decode("ascii")
    data = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
            "Content-Type: text/html; charset=\"gb2312\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            f"{html}\r\n--B--\r\n").encode("ascii")
    doc = read_bytes(data, "p.mhtml")
    assert "项目负责人王堃，预算资金1,250.00万元，执行率98.69%。" in doc.lines


def test_markup_in_the_text_stays_text():
    body = "<div id='zoom'><p>预算绩效：&lt;script&gt;alert(1)&lt;/script&gt; =SUM(A1)</p></div>"
    doc = read_html(page(body=body).encode("utf-8"), "p.html")
    assert "预算绩效：<script>alert(1)</script> =SUM(A1)" in doc.lines


@pytest.mark.parametrize("data, message", [
    (b"", "网页文件为空"),
    (page(body="<div id='zoom'><a href='a.pdf'>附件：报告.pdf</a></div>").encode("utf-8"), "没有报告正文"),
    (b"From: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
     b"Content-Type: image/png\r\n\r\nxx\r\n--B--\r\n", "没有网页正文"),
])
def test_pages_without_a_report_say_why(data, message):
    with pytest.raises(ReadError) as info:
        read_html(data, "p.html")
    assert message in info.value.message_zh
