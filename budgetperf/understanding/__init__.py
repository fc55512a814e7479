"""Understanding: a `SourceDocument` to facts and findings, pure functions without I/O.

- `parsers/`: the report's shapes and tables, sentences, cover labels, values;
- `extract`: `extract_document` (shapes, then region, unit and year) and the
  answer-key JSON shape of the facts (`document_to_dict`);
- `records`: the facts (`DocumentFacts`, `Project`, `Indicator`, `Value` with its
  `Provenance`: file and lines);
- `doubts`: review reasons, what a person should check because extraction was unsure;
- `repeats`: one report pasted many times is taken once;
- `audit`: where the report's own numbers disagree, and `findings` the words for it;
- `linking`: the same programme across years.
"""
