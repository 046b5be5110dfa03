"""Dependencies point one way: the directory at the bottom, the coach's log above it, the
reports on top. The log keeps the reports' tallies itself, and hears of calendar changes
through `directory.calendar_changes`, precisely so that these stay true."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the bettertogether package


def _imports(app: str) -> set[tuple[str, str]]:
    """(file, module) for every import in the app's code, inside functions too."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        package = ".".join(("bettertogether", *path.relative_to(ROOT).parent.parts))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(str(path), alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    module = f"{base}.{module}" if module else base
                found.add((str(path), module))
    return found


@pytest.mark.parametrize("app, above", [
    ("coaching", ["bettertogether.reports"]),
    ("directory", ["bettertogether.coaching", "bettertogether.reports"]),
])
def test_an_app_imports_nothing_above_it(app, above):
    wrong = sorted((path, module) for path, module in _imports(app)
                   if any(module == top or module.startswith(f"{top}.") for top in above))
    assert wrong == []
