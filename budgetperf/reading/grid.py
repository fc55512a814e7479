"""Ruled tables from drawn lines: the cell grid of a table whose borders are line
segments (an OFD page's PathObjects, the rulings found in a scanned page's image),
and the text pieces of the page placed into its cells.

Shared by `ofd` and `ocr`, so both give the grid the other readers give: one row
per grid row, each cell with its grid column and span, and an empty continuation
cell where a cell merged from above covers the row (`Cell.is_continuation`).
A cell grows right while the vertical border between it and the next column is
not drawn over its rows (a colspan), and down while the horizontal border below it
is not drawn (a rowspan).
Units are whatever the caller uses (millimetres, points); `tol` is in the same unit.
Known limitation: a table whose inner borders are only partly drawn (dashed or
broken lines) reads as merged cells. Pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetperf.reading.blocks import join_wrapped

Segment = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Piece:
    """A run of text on the page with its box (top-left origin) and OCR score."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float | None = None
    size: float | None = None  # the width of a character (em) when known; else the box height

    @property
    def em(self) -> float:
        return self.size or max(self.bottom - self.top, 1e-6)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Grid:
    xs: list[float]  # column borders, left to right
    ys: list[float]  # row borders, top to bottom
    cells: list[tuple[int, int, int, int]]  # (row, col, row span, col span)

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]


def _is_horizontal(s: Segment, tol: float) -> bool:
    return abs(s[1] - s[3]) < tol and abs(s[0] - s[2]) > 2 * tol


def _is_vertical(s: Segment, tol: float) -> bool:
    return abs(s[0] - s[2]) < tol and abs(s[1] - s[3]) > 2 * tol


def split_tables(segments: list[Segment], tol: float) -> list[list[Segment]]:
    """Horizontal and vertical segments grouped into tables: segments that touch
    (within `tol`) belong to the same table. Other segments (curves, diagonals) are dropped."""
    segs = [s for s in segments if _is_horizontal(s, tol) or _is_vertical(s, tol)]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    boxes = [(min(s[0], s[2]) - tol, min(s[1], s[3]) - tol, max(s[0], s[2]) + tol, max(s[1], s[3]) + tol)
             for s in segs]
    order = sorted(range(len(segs)), key=lambda i: boxes[i][0])
    for n, i in enumerate(order):  # sweep on x: only boxes that start before i ends can touch it
        for j in order[n + 1:]:
            if boxes[j][0] > boxes[i][2]:
                break
            if boxes[j][1] <= boxes[i][3] and boxes[i][1] <= boxes[j][3]:
                parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(find(i), []).append(s)
    return sorted(groups.values(), key=lambda g: min(min(s[1], s[3]) for s in g))


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= tol:
            out[-1].append(value)
        else:
            out.append([value])
    return [sum(g) / len(g) for g in out]


def ruled_grid(segments: list[Segment], tol: float) -> Grid | None:
    """The grid of one table's segments, or None when they do not make a table of at
    least two columns (a frame around the page, an underline). One row is enough: a
    header row is often drawn as a table of its own."""
    hs = [(min(s[0], s[2]), max(s[0], s[2]), (s[1] + s[3]) / 2) for s in segments if _is_horizontal(s, tol)]
    vs = [(min(s[1], s[3]), max(s[1], s[3]), (s[0] + s[2]) / 2) for s in segments if _is_vertical(s, tol)]
    if len(hs) < 2:
        return None
    ys = _cluster([h[2] for h in hs], tol)
    # A column border starts or ends at a row border (a scan may break it in the
    # middle); an upright stroke of a character inside a cell touches neither.
    vs = [v for v in vs if any(abs(v[0] - y) <= 2 * tol or abs(v[1] - y) <= 2 * tol for y in ys)]
    if len(vs) < 3:
        return None
    xs = _cluster([v[2] for v in vs], tol)
    if len(ys) < 2 or len(xs) < 3:
        return None
    def drawn(lines: list[tuple[float, float, float]], at: float, a: float, b: float) -> bool:
        """A border at `at` runs along most of a..b: a scan breaks a ruling where
        noise thins it or a character touches it, so three quarters drawn will do."""
        runs = sorted((max(lo, a), min(hi, b)) for lo, hi, pos in lines if abs(pos - at) < tol and hi > a and lo < b)
        covered, end = 0.0, a
        for lo, hi in runs:
            covered += max(0.0, hi - max(lo, end))
            end = max(end, hi)
        return covered >= 0.75 * (b - a) - 2 * tol

    def v_drawn(x: float, ya: float, yb: float) -> bool:
        return drawn(vs, x, ya, yb)

    def h_drawn(y: float, xa: float, xb: float) -> bool:
        return drawn(hs, y, xa, xb)

    covered: set[tuple[int, int]] = set()
    cells = []
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            if (r, c) in covered:
                continue
            cs = 1
            while c + cs < len(xs) - 1 and not v_drawn(xs[c + cs], ys[r], ys[r + 1]):
                cs += 1
            rs = 1
            while r + rs < len(ys) - 1 and not h_drawn(ys[r + rs], xs[c], xs[c + cs]):
                rs += 1
            cells.append((r, c, rs, cs))
            covered |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
    return Grid(xs, ys, cells)


def join_pieces(pieces: list[Piece]) -> str:
    """Pieces of one line, left to right: touching pieces (a glyph placed on its own,
    a word split by the engine) are joined as they are, others with one space, as
    the PDF reader joins the characters of a field."""
    out = ""
    last: Piece | None = None
    for p in sorted(pieces, key=lambda p: p.x0):
        if last is not None and p.x0 - last.x1 > 0.25 * p.em:
            out += " "
        out += p.text
        last = p
    return out.strip()


def text_of(pieces: list[Piece]) -> str:
    """Pieces of one cell or line in reading order: grouped into lines by their
    vertical centre, left to right in a line, wrapped lines joined."""
    lines: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.cy, p.x0)):
        if lines and abs(lines[-1][-1].cy - p.cy) < 0.5 * max(p.bottom - p.top, 1e-6):
            lines[-1].append(p)
        else:
            lines.append([p])
    return join_wrapped([join_pieces(line) for line in lines])


def fill(grid: Grid, pieces: list[Piece]) -> list[list[tuple]]:
    """The table's rows as (text, grid column, column span, is continuation, lowest
    OCR score or None); each piece goes to the cell holding its centre. Rows with no
    text are dropped (spacer rows)."""
    by_cell: dict[tuple[int, int], list[Piece]] = {}
    for p in pieces:
        for r, c, rs, cs in grid.cells:
            if grid.xs[c] <= p.cx <= grid.xs[c + cs] and grid.ys[r] <= p.cy <= grid.ys[r + rs]:
                by_cell.setdefault((r, c), []).append(p)
                break
    rows = []
    for row in range(len(grid.ys) - 1):
        out = []
        for r, c, rs, cs in grid.cells:
            if r == row:
                mine = by_cell.get((r, c), [])
                scores = [p.score for p in mine if p.score is not None]
                out.append((text_of(mine), c, cs, False, min(scores) if scores else None))
            elif r < row < r + rs:
                out.append(("", c, cs, True, None))
        out.sort(key=lambda cell: cell[1])
        if any(cell[0] for cell in out):
            rows.append(out)
    return rows
