"""Parsers: a `SourceDocument` to facts, pure and without I/O.

`shapes` lists the report shapes (绩效目标表, evaluations) and picks the parser;
`tables` reads indicator and money tables from a grid, `narrative` figures from
sentences, `cover` the title and cover labels, `context` region, unit and year,
`values` numbers, units, grades and targets, `subprojects` lists of projects,
`targets` target tables, `pdftext` tables a PDF's text layer has flattened.
"""
