"""The package's shape: layers that only import downwards, no import cycles,
streamlit only in the app, and a README whose folder tree is the real one.

Imports are read from the source (ast), module level and inside functions alike:
an import moved into a function to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "budgetperf"

# Each folder may import from the folders listed for it (and from itself and the
# package's root modules: settings, errors, vocabulary). The order is the story
# of a report: read → understood → people's changes laid over it → stored → shown.
LAYERS = {
    "reading": set(),
    "understanding": {"reading"},
    "changes": {"reading", "understanding"},
    "charts": set(),
    "storing": {"reading", "understanding", "changes"},
    "export": {"charts"},
    "synth": {"reading", "understanding", "storing"},
    "app": {"reading", "understanding", "changes", "storing", "charts", "export"},
    "cli": {"reading", "understanding", "changes", "storing", "charts", "export", "app", "synth", "bench"},
    "bench": {"reading", "understanding", "changes", "storing", "charts", "export", "app", "synth"},
}
ROOT_MODULES = {"settings", "errors", "vocabulary", "__init__", "__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """budgetperf modules imported anywhere in `path` (a `from pkg import name` that
    names a module counts as that module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("budgetperf")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("budgetperf"):
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists() or \
                        (ROOT / Path(*candidate.split(".")) / "__init__.py").exists():
                    found.add(candidate)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] not in ROOT_MODULES) else None


def test_no_import_cycles():
    # Tarjan's strongly connected components: any with two modules or more is a cycle.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            # a package imports its own modules to re-export them; that is not a cycle back
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert cycles == [], f"import cycles: {cycles}"


def test_layers_import_only_downwards():
    wrong = []
    for name, targets in GRAPH.items():
        layer = _package_of(name)
        if layer is None:
            continue
        for target in targets:
            other = _package_of(target)
            if other is None or other == layer:
                continue
            if other not in LAYERS.get(layer, set()):
                wrong.append(f"{name} → {target}")
    assert wrong == [], "imports against the layer order:\n" + "\n".join(sorted(wrong))


def test_every_folder_is_a_known_layer():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS), "a new folder needs its place in LAYERS (and in the README's tree)"


def test_streamlit_is_imported_only_by_the_app():
    outside = []
    for name, path in MODULES.items():
        if name.startswith("budgetperf.app"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import streamlit|from streamlit)", text, flags=re.M):
            outside.append(name)
    assert outside == []


def test_no_package_import_inside_functions():
    """A function-level import of our own code is how cycles were dodged; the one
    kind allowed is the CLI loading a command's module when that command runs (its
    start-up stays fast: `budgetperf --help` needs no pandas or DuckDB)."""
    found = []
    for name, path in MODULES.items():
        if name == "budgetperf.cli.main":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if module and module.startswith("budgetperf"):
                    found.append(f"{name}:{node.lineno} {module}")
    assert found == []


# ---------------------------------------------------------------------------
# the README's folder tree

def readme_tree() -> dict[str, str]:
    """Paths listed in the README's tree block (```text … ``` under 「代码结构」),
    each with the line that describes it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- tree -->\n```text\n(.*?)```", text, flags=re.S)
    assert block, "README.md has a tree block marked <!-- tree -->"
    paths, stack = {}, []
    for line in block.group(1).splitlines():
        m = re.match(r"^([ │├└─]*)(\S+)", line)
        if not m or not m.group(2):
            continue
        depth = len(m.group(1)) // 4
        name = m.group(2)
        stack[depth:] = [name.rstrip("/")]
        paths["/".join(stack)] = line
    return paths


def source_tree() -> set[str]:
    """Folders, modules and the top SQL files (each staging and mart model is one
    file in its folder; the folders are listed, not every model)."""
    wanted = set()
    for p in PACKAGE.rglob("*"):
        if "__pycache__" in p.parts or any(part.startswith(".") for part in p.parts) or p.name == "__init__.py":
            continue
        if p.is_dir() or p.suffix == ".py" or (p.suffix == ".sql" and p.parent.name == "sql"):
            wanted.add(str(p.relative_to(ROOT)))
    return wanted


def test_readme_tree_lists_every_module_and_nothing_else():
    listed = {p for p in readme_tree() if p.startswith("budgetperf/")}
    actual = source_tree()
    assert sorted(actual - listed) == [], "missing from the README's tree"
    assert sorted(listed - actual) == [], "in the README's tree but not in the package"


@pytest.mark.parametrize("folder", sorted(LAYERS))
def test_every_layer_says_what_it_owns(folder):
    doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc) > 40
