"""No module reaches into another module's private names.

A name that starts with one underscore is its module's own business: it may change or go
away without a thought for anyone else. Whatever two modules share has a public name, so
a reader sees at a glance what a module offers and what it keeps to itself.

The test reads every module of `bettertogether` (tests and migrations aside: a test may
look inside what it tests) with `ast`, without importing anything, and fails on

- `from x import _y`, where `_y` is not a dunder name;
- `x._y`, where `x` is a module bound by an import (`import a.b`, `from a import b` with
  `a/b.py` a module).

Django's `_meta` is public API despite its underscore. The allow-list names each known
use elsewhere that is still to be renamed; it may only shrink (a name fixed since fails
the test until it leaves the list).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3]  # the folder holding `bettertogether`
ROOT = PACKAGE / "bettertogether"
PUBLIC_DESPITE_UNDERSCORE = {"_meta"}

# (importing module, "module.name" it reaches for) allowed for a while: none today. An entry
# may only be removed.
KNOWN: frozenset[tuple[str, str]] = frozenset()


def _private(name: str) -> bool:
    return (name.startswith("_") and not name.startswith("__")
            and name not in PUBLIC_DESPITE_UNDERSCORE)


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


def _is_package(dotted: str) -> bool:
    return (PACKAGE.joinpath(*dotted.split("."), "__init__.py")).exists()


def _is_module(dotted: str) -> bool:
    """A module or package of this project (outside it, a name is taken for a module only
    when bound by `import x`)."""
    base = PACKAGE.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _attribute_chain(node: ast.Attribute) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None when it does not start from a plain name."""
    chain = [node.attr]
    value = node.value
    while isinstance(value, ast.Attribute):
        chain.append(value.attr)
        value = value.value
    if not isinstance(value, ast.Name):
        return None
    chain.append(value.id)
    return chain[::-1]


def violations_of(path: Path, module: str) -> list[tuple[str, str]]:
    """(module, "other.module._name") for each private name `module` takes from another."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    modules: dict[str, str] = {}  # a local name → the module it is bound to
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    modules[top] = top
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node)
            for alias in node.names:
                if _private(alias.name):
                    found.append((module, f"{source}.{alias.name}"))
                elif _is_module(f"{source}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{source}.{alias.name}"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not _private(node.attr):
            continue
        chain = _attribute_chain(node)
        if chain is None or chain[0] not in modules:
            continue
        # Follow the chain through submodules: `a.b._c` is `_c` of the module `a.b`.
        owner = modules[chain[0]]
        for part in chain[1:-1]:
            if not _is_module(f"{owner}.{part}"):
                break
            owner = f"{owner}.{part}"
        else:
            found.append((module, f"{owner}.{chain[-1]}"))
    return found


def test_no_module_imports_another_modules_private_names():
    found = {pair for path, module in _modules() for pair in violations_of(path, module)}
    new = sorted(found - KNOWN)
    assert not new, "Private names taken from another module (give them a public name):\n" + (
        "\n".join(f"  {module}: {name}" for module, name in new))


def test_the_allow_list_holds_only_uses_still_there():
    found = {pair for path, module in _modules() for pair in violations_of(path, module)}
    fixed = sorted(KNOWN - found)
    assert not fixed, "Fixed since: take these off KNOWN:\n" + "\n".join(
        f"  {module}: {name}" for module, name in fixed)


def test_the_check_sees_each_form(tmp_path):
    """The walk finds the forms it is meant to (a check that finds nothing proves nothing)."""
    source = tmp_path / "probe.py"
    source.write_text(
        "import os\n"
        "from bettertogether.reports import engine\n"
        "from bettertogether.reports.engine import _hidden, build_report, __all__\n"
        "from . import _sibling\n"
        "import bettertogether.reports.reach as reach\n"
        "engine._helper()\n"
        "reach._months\n"
        "os._exit\n"
        "engine.build_report\n"
        "obj = object()\n"
        "obj._private\n"
        "build_report._meta\n")
    found = {name for _module, name in violations_of(source, "bettertogether.reports.probe")}
    assert found == {"bettertogether.reports.engine._hidden", "bettertogether.reports._sibling",
                     "bettertogether.reports.engine._helper",
                     "bettertogether.reports.reach._months", "os._exit"}
