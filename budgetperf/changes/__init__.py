"""People's changes: what editors decide, kept as append-only logs beside the store
so they survive every rebuild, each with who, when and why, and undone by an undo
record.

- `corrections`: fixes of extracted values (and how they are laid over the facts);
- `finding_status`: an editor's status of an audit finding (已核实/忽略);
- `reference_edits`: rows added to the reference tables (regions, unit aliases);
- `writelog`: who wrote what to the store, and with what outcome;
- `editors`: who may write (password hashes, login throttling);
- `forms`, `queue`, `trail_filters`: the 数据校对 page's typed values into records,
  its work queue, and the 修改记录 page's filters (pure);
- `jsonlines`: the append-only file format they share.

Making a change take effect in the store is `storing.committing`.
"""
