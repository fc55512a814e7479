"""What a rule may look at: the extracted facts, and the report's own text beside them.

Most rules read facts only. Some read the report's words too (a scoring note, a
deadline, a sentence that splits a total into parts): they use the text through
`Evidence`, which finds each project's lines once and caches the compact text, so
every rule stays linear in the size of the report. Without a source document (facts
built by hand, or corrected facts without their file) the text rules find nothing.

`Evidence.doubt` records why a rule did not run on a project (a value it needs was
not read): `audit_document` turns these into review reasons, so a skipped rule is
never silent.

Pure: no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from budgetperf.reading.blocks import Paragraph, SourceDocument, Table, compact
from budgetperf.understanding.records import BudgetLine, DocumentFacts, Project, Provenance, ReviewReason

# doc_kinds of a document that only plans: target tables have no execution and no scores.
TARGETS = "targets"
DEPARTMENT_OVERALL = "department_overall"
_SUMMARY_ROW = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计)$|^其中")
# a table cell this long holds a sentence (a goal, a result) rather than a label
MIN_SENTENCE_CELL = 8
# a number as written in a cell (not one inside a longer number)
_CELL_NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?%?")


@dataclass
class Evidence:
    """One document as the rules see it: its facts, its text (or None) and the doubts
    the rules raised while reading it."""

    facts: DocumentFacts
    document: SourceDocument | None = None
    doubts: dict[tuple[int, ReviewReason], tuple[Project, ReviewReason]] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # results shared by several rules (sum checks)

    # ---------------------------------------------------------------- document

    @property
    def file(self) -> str:
        return self.facts.file

    @cached_property
    def projects(self) -> list[Project]:
        """The document's projects, without rows that only summarise others (合计,
        总计, 小计) should extraction have taken one for a project."""
        return [p for p in self.facts.projects if not _SUMMARY_ROW.match(p.name.strip())]

    @cached_property
    def is_plan(self) -> bool:
        """The document is a target table (绩效目标表) and nothing else: a plan has
        no execution, no scores and no results to check."""
        kinds = self.facts.doc_kinds
        return bool(kinds) and all(k == TARGETS for k in kinds)

    def is_evaluated(self, p: Project) -> bool:
        """The project is evaluated here (not a target sheet, not a plan document)."""
        return p.kind != "target" and not self.is_plan

    @cached_property
    def lines(self) -> list[str]:
        """The report's lines, whitespace removed (line k is `lines[k - 1]`)."""
        return [compact(line) for line in self.document.lines] if self.document else []

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.document.blocks if isinstance(b, Paragraph)] if self.document else []

    @cached_property
    def tables(self) -> list[Table]:
        return [b for b in self.document.blocks if isinstance(b, Table)] if self.document else []

    @cached_property
    def statements(self) -> list[tuple[int, str]]:
        """(first line, compact text) of every paragraph and of every table cell long
        enough to be a sentence, in line order: the places a report states things in words."""
        out = [(p.line_start, compact(p.text)) for p in self.paragraphs]
        out += [(c.line_start, compact(c.text)) for t in self.tables for row in t.rows for c in row
                if len(c.text) >= MIN_SENTENCE_CELL]
        return sorted(out, key=lambda s: s[0])

    def statements_of(self, p: Project) -> list[tuple[int, str]]:
        """The statements on the project's lines (found by bisection, not by a scan)."""
        first, last = self.span(p)
        lines = self._statement_lines
        return self.statements[bisect_left(lines, first):bisect_right(lines, last)]

    @cached_property
    def _statement_lines(self) -> list[int]:
        return [line for line, _ in self.statements]

    def row_at(self, line: int) -> tuple[Table, tuple] | None:
        """The table row one of whose cells sits on `line`, if any."""
        return self._rows_by_line.get(line)

    @cached_property
    def _rows_by_line(self) -> dict[int, tuple[Table, tuple]]:
        out: dict[int, tuple[Table, tuple]] = {}
        for table in self.tables:
            for row in table.rows:
                for cell in row:
                    for line in range(cell.line_start, cell.line_end + 1):
                        out.setdefault(line, (table, row))
        return out

    @cached_property
    def text(self) -> str:
        """The whole report as one compact string (for document-wide wording)."""
        return "".join(self.lines)

    def has(self, pattern: re.Pattern) -> re.Match | None:
        return pattern.search(self.text)

    def prov(self, line_start: int, line_end: int | None = None) -> Provenance:
        """Provenance of report lines, with their text as the snippet."""
        end = line_end or line_start
        snippet = "".join(self.lines[line_start - 1:end])[:200] if self.lines else ""
        return Provenance(self.file, line_start, end, snippet)

    # ---------------------------------------------------------------- projects

    @cached_property
    def _anchors(self) -> dict[int, int]:
        """Each project's first line. Projects that all claim the same first line (the
        document's title) begin where their own figures do."""
        # A project listed as a row of a table owns that row only (`span`), and
        # starts no section: the lines below it are the document's or the next project's.
        projects = [p for p in self.projects if not p.listed]
        claims = Counter(p.prov.line_start for p in projects)
        return {id(p): (_first_value_line(p) or p.prov.line_start) if claims[p.prov.line_start] > 1 else p.prov.line_start
                for p in projects}

    @cached_property
    def _starts(self) -> list[int]:
        return sorted(set(self._anchors.values()))

    def span(self, p: Project) -> tuple[int, int]:
        """Lines [first, last] the project owns: from its first line to the line
        before the next project's; a document with one project owns every line."""
        last_line = max(len(self.lines), 1)
        if p.listed:
            return p.prov.line_start, p.prov.line_end
        if len(self._starts) <= 1:
            return 1, last_line
        first = self._anchors[id(p)]
        k = bisect_right(self._starts, first)
        return first, (self._starts[k] - 1 if k < len(self._starts) else last_line)

    def project_lines(self, p: Project) -> list[tuple[int, str]]:
        """(line number, compact text) of the lines the project owns."""
        first, last = self.span(p)
        return list(enumerate(self.lines[first - 1:last], start=first))

    def project_text(self, p: Project) -> str:
        key = ("text", id(p))
        if key not in self.memo:
            first, last = self.span(p)
            self.memo[key] = "".join(self.lines[first - 1:last])
        return self.memo[key]

    def project_at(self, line: int) -> str | None:
        """The name of the project whose lines hold `line`: the only project of a
        one-project document; None where no single project owns it."""
        projects = self.projects
        if len(projects) == 1:
            return projects[0].name
        listed = [p for p in projects if p.listed and p.prov.line_start <= line <= p.prov.line_end]
        if len(listed) == 1:
            return listed[0].name
        sections = [p for p in projects if not p.listed]
        if len(sections) == 1:
            return sections[0].name  # the one section's, wherever no listed row is
        k = bisect_right(self._starts, line) - 1
        if len(self._starts) <= 1 or k < 0:
            return None
        owners = self._owners.get(self._starts[k], [])
        return owners[0].name if len(owners) == 1 else None

    @cached_property
    def _owners(self) -> dict[int, list[Project]]:
        out: dict[int, list[Project]] = {}
        for p in self.projects:
            out.setdefault(self._anchors[id(p)], []).append(p)
        return out

    def tables_of(self, p: Project) -> list[Table]:
        """Tables that start on the project's lines, or run into them."""
        first, last = self.span(p)
        starts = self._table_starts
        k = bisect_left(starts, first)
        inside = self.tables[k:bisect_right(starts, last)]
        before = [t for t in self.tables[max(0, k - 1):k] if t.line_end >= first]
        return before + inside

    @cached_property
    def _table_starts(self) -> list[int]:
        return [t.line_start for t in self.tables]

    def projects_between(self, first: int, last: int) -> list[Project]:
        """Projects whose first line lies in [first, last]."""
        order = self._projects_by_line
        lines = [p.prov.line_start for p in order]
        return order[bisect_left(lines, first):bisect_right(lines, last)]

    @cached_property
    def _projects_by_line(self) -> list[Project]:
        return sorted(self.projects, key=lambda p: p.prov.line_start)

    # ---------------------------------------------------------------- rows read whole

    def cells_accounted(self, line: BudgetLine) -> bool:
        """Every number written on a funding row is one of the values read from it: a
        number left over means the columns were read shifted (a rate taken for an
        amount), and no sum or rate over them can be trusted. Without the text there is
        nothing to check."""
        if not self.document:
            return True
        raw = " ".join(self.document.lines[line.prov.line_start - 1:line.prov.line_end]).replace(line.label.strip(), " ", 1)
        read = [x for x in (line.budget_initial_wan, line.budget_adjusted_wan, line.executed_wan, line.weight,
                            line.rate_pct, line.score) if x is not None]
        for m in _CELL_NUMBER.finditer(raw):
            number = float(m.group(0).rstrip("%").replace(",", ""))
            if not any(_same_number(number, x) for x in read):
                return False
        return True

    def funding_in_doubt(self, p: Project) -> bool:
        """The project's funding block (where its budget and spending are read from) has
        a row whose numbers were not all read into its columns."""
        key = ("funding", id(p))
        if key not in self.memo:
            self.memo[key] = not all(self.cells_accounted(line) for line in p.budget_lines)
        return self.memo[key]

    def spending_read(self, p: Project) -> bool:
        """The project is evaluated here and its budget, spending and rate were read
        whole (not from a funding row whose columns came out shifted). When they were
        not, the doubt is recorded once and the execution rules leave the project."""
        if not self.is_evaluated(p):
            return False
        if self.funding_in_doubt(p):
            first = p.budget_lines[0]
            self.doubt(p, "indicator_table_unread", f"指标表未识别：项目资金表第 {first.prov.line_start} 行有数字没有对应到栏目"
                       "（可能错列）；资金合计与执行情况未审核", first.prov)
            return False
        return True

    # ---------------------------------------------------------------- doubts

    def doubt(self, p: Project, code: str, message_zh: str, prov: Provenance | None = None) -> None:
        """Record that a rule was skipped on `p` because a value it needs was not read
        (`code` is a review code of `understanding.doubts`); the same doubt once."""
        reason = ReviewReason(code, message_zh, prov or p.prov)
        self.doubts.setdefault((id(p), reason), (p, reason))


def _first_value_line(p: Project) -> int | None:
    """The first line of any figure read for the project."""
    values = [p.budget_initial, p.budget_adjusted, p.executed, p.execution_rate, p.total_score, *p.budget_lines,
              *p.indicators, *p.section_scores]
    lines = [x.prov.line_start for x in values if x is not None and getattr(x, "prov", None) is not None]
    return min(lines) if lines else None


def _same_number(written: float, read: float) -> bool:
    """A number as written and as read: equal, or the same in 万元 read from 元 (or 亿元),
    or a share read as a percentage, to the decimals kept."""
    return any(abs(written * factor - read) <= 1e-4 * max(1.0, abs(read)) for factor in (1, 0.0001, 10000, 100, 0.01))
