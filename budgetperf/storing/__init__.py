"""Storing: the DuckDB store and every write to it.

Reading the store is `store` (read-only snapshots, `run_query` over the named SQL in
``queries/``). Its shape is `schema` with the models in ``sql/`` (tables, staging
views, marts). A report becomes rows through `extracting` (the one way to extract a
file: read, understand, lay corrections over, audit), `rows` and `arrow`; `loading`
fills a draft (builds, ingests, replacements, reuse of unchanged files), `linking`
keeps programme links, `building` makes a whole store from the reports folder.
Every write is `publish` (writer lock, draft, atomic replace): `intake` adds and
deletes reports, `committing` makes people's changes take effect. `reference` loads
the reference tables with people's edits laid over.
"""
