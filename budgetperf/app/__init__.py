"""The app: everything that imports streamlit, one module per concern and per page
family (mirroring `charts/`). Pages (``pages/*.py``) are thin scripts over these.

- `registry`: the pages (pure; the router, links and the export command read it);
- `store_cache`: the shared read-only store and cached named queries;
- `sidebar`, `filter_specs`: the shared filters (widgets; their pure vocabulary);
- `frame`, `navigation`, `display`, `tables`, `export_panel`: the page frame,
  moving between pages, charts and cards, tables, the 导出 panel;
- `overview`, `sources`, `audit`, `review`, `manage`: page-family widgets;
- `headless`: a page run without a browser (the export command, the benchmark).
"""
