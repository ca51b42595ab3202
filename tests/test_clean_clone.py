"""The suite passes on a clean clone with nothing beside it: no test reads ../shared.

A path built from the string "shared" (or one spelling out ../shared) reaches outside the
repository, so a fresh clone would fail or skip. MNIST is vendored in data/mnist. Only code
counts: comments and docstrings may mention where a seed example came from.
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            ids.add(id(body[0].value))
    return ids


def _paths_outside_repo(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = _docstring_nodes(tree)
    return [f"line {node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and (node.value == "shared" or "../shared" in node.value or "..\\shared" in node.value)]


def test_detector_finds_a_shared_path():
    assert _paths_outside_repo('DATA = os.path.join(HERE, "..", "..", "shared")')
    assert _paths_outside_repo('ROOT = REPO.parent / "shared" / "data"')
    assert not _paths_outside_repo('"""From ../shared/seeds/002."""\nx = 1  # see ../shared')


def test_no_test_reads_outside_the_repository():
    others = [path for path in sorted(TESTS.rglob("*.py")) if path.resolve() != Path(__file__).resolve()]
    offenders = {str(path.relative_to(TESTS)): found for path in others
                 if (found := _paths_outside_repo(path.read_text(encoding="utf-8")))}
    assert offenders == {}
