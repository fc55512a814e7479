"""OFD: text objects by position, ruled tables with merged cells, and bad packages."""

from __future__ import annotations

import io
import zipfile

import pytest

from budgetperf.reading import ReadError
from budgetperf.reading.blocks import Cell, Paragraph, Place, SourceDocument, Table
from budgetperf.reading.formats import read_bytes
from budgetperf.reading.ofd import read_ofd
from tests.format_makers import as_ofd

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _package(page: str, extra: dict | None = None, template: str | None = None) -> bytes:
    """A one-page OFD written by hand: `page` is the Layer's content."""
    tpl = '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    use = '<ofd:Template TemplateID="2"/>' if template else ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("OFD.xml", f'<ofd:OFD {NS} Version="1.0"><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml'
                              "</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        z.writestr("Doc_0/Document.xml", f"<ofd:Document {NS}><ofd:CommonData>{tpl}</ofd:CommonData><ofd:Pages>"
                                         '<ofd:Page ID="1" BaseLoc="Pages\\Page_0\\Content.xml"/></ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/Pages/Page_0/Content.xml",
                   f'<ofd:Page {NS}>{use}<ofd:Content><ofd:Layer ID="3">{page}</ofd:Layer></ofd:Content></ofd:Page>')
        if template:
            z.writestr("Doc_0/Tpls/Tpl_0/Content.xml", f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="4">{template}'
                                                       "</ofd:Layer></ofd:Content></ofd:Page>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _text(x, y, text, size=3.5, deltas=None, n=[100]):
    n[0] += 1
    dx = f' DeltaX="{deltas}"' if deltas else ""
    return (f'<ofd:TextObject ID="{n[0]}" Boundary="{x} {y} 150 6" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}"{dx}>{text}</ofd:TextCode></ofd:TextObject>')


def _line(x0, y0, x1, y1):
    return f'<ofd:PathObject ID="9" Boundary="0 0 210 297"><ofd:AbbreviatedData>M {x0} {y0} L {x1} {y1}</ofd:AbbreviatedData></ofd:PathObject>'


def test_text_runs_become_lines_in_reading_order():
    page = (_text(20, 30, "一、项目概况：年度预算数为1,250.00万元，", deltas="g 24 3.5")
            + _text(20, 20, "某某项目2023年度绩效自评报告", size=5.5)
            + _text(20, 36, "执行率98.69%。"))
    doc = read_ofd(_package(page, template=_text(100, 285, "- 1 -")), "r.ofd")
    assert doc.lines == ["某某项目2023年度绩效自评报告", "一、项目概况：年度预算数为1,250.00万元，", "执行率98.69%。"]
    assert doc.places[1] == Place(page=1)  # the template's page number is not read
    assert doc.confidence == {}


def test_ruled_lines_become_a_table_with_merged_cells():
    xs, ys = [20, 50, 80, 110, 140, 170], [50, 60, 70, 80]
    lines = [_line(xs[0], ys[0], xs[-1], ys[0]), _line(xs[0], ys[1], xs[-1], ys[1]),
             _line(xs[1], ys[2], xs[-1], ys[2]),  # none under 产出指标: merged over the two data rows
             _line(xs[0], ys[3], xs[-1], ys[3])]
    lines += [_line(x, ys[0], x, ys[-1]) for x in xs if x != xs[3]]
    lines.append(_line(xs[3], ys[1], xs[3], ys[-1]))  # none between 指标值's two columns in the header
    cells = [(0, 0, "一级指标"), (0, 1, "三级指标"), (0, 2, "指标值"), (0, 4, "得分"),
             (1, 0, "产出指标"), (1, 1, "培训人次"), (1, 2, "1200人次"), (1, 3, "1180人次"), (1, 4, "9.5"),
             (2, 1, "满意度"), (2, 2, "≥90%"), (2, 3, "95.2%"), (2, 4, "10")]
    texts = [_text(xs[c] + 1, ys[r] + 2, t, size=3) for r, c, t in cells]
    doc = read_ofd(_package("".join(lines + texts)), "t.ofd")
    [table] = [b for b in doc.blocks if isinstance(b, Table)]
    grid = [[(c.text, c.col, c.col_span, c.is_continuation) for c in row] for row in table.rows]
    assert grid[0] == [("一级指标", 0, 1, False), ("三级指标", 1, 1, False), ("指标值", 2, 2, False), ("得分", 4, 1, False)]
    assert grid[1][0] == ("产出指标", 0, 1, False)
    assert grid[2][0] == ("", 0, 1, True)
    assert [c.text for c in table.rows[2][1:]] == ["满意度", "≥90%", "95.2%", "10"]


def test_a_report_written_as_ofd_reads_back_as_it_was_written():
    doc = SourceDocument("r.txt", "txt", [], blocks=[
        Paragraph("某某单位2023年度项目支出绩效自评报告", 1, 1),
        Table(((Cell("项目名称", 2, 2, 0), Cell("某某项目", 2, 2, 1, 2)),
               (Cell("年初预算数", 3, 3, 0), Cell("执行数", 3, 3, 1), Cell("执行率", 3, 3, 2)),
               (Cell("120.00", 4, 4, 0), Cell("118.50", 4, 4, 1), Cell("98.75%", 4, 4, 2))), 2, 4)])
    read = read_bytes(as_ofd(doc), "r.ofd")
    assert read.lines[0] == "某某单位2023年度项目支出绩效自评报告"
    [table] = [b for b in read.blocks if isinstance(b, Table)]
    assert table.texts() == [["项目名称", "某某项目"], ["年初预算数", "执行数", "执行率"], ["120.00", "118.50", "98.75%"]]
    assert table.rows[0][1].col_span == 2 and read.places[table.line_start] == Place(page=1, table=1)


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 not really a zip", "OFD 文件已损坏"),
    (_package("")[:0] + b"", "文件为空"),
])
def test_broken_packages_say_why(data, message):
    with pytest.raises(ReadError) as info:
        read_bytes(data, "bad.ofd")
    assert message in info.value.message_zh


def test_a_package_without_its_document_or_text_says_so():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("OFD.xml", f"<ofd:OFD {NS}/>")
    with pytest.raises(ReadError) as info:
        read_ofd(out.getvalue(), "x.ofd")
    assert "结构不完整" in info.value.message_zh
    with pytest.raises(ReadError) as info:
        read_ofd(_package(_line(0, 0, 10, 0)), "empty.ofd")
    assert "没有可读的文字" in info.value.message_zh


def test_xml_with_a_dtd_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            f'<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>&lol2;</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("OFD.xml", bomb)
    with pytest.raises(ReadError) as info:
        read_ofd(out.getvalue(), "dtd.ofd")
    assert "DTD" in info.value.message_zh


def test_an_ofd_zip_bomb_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f"<ofd:OFD {NS}/>")
        z.writestr("Doc_0/big.xml", b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>")
    with pytest.raises(ReadError) as info:
        read_bytes(out.getvalue(), "bomb.ofd")
    assert "压缩炸弹" in info.value.message_zh
