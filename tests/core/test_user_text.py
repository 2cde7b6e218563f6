"""What people read never cites the project's decision records ("ADR 0007"): those are for the
people who build ctodp. Comments and docstrings may cite them; templates' text and the strings the
code shows may not."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["agencies", "accounts", "inventories", "access_plans", "publishing", "privacy", "upkeep"]
APPS += ["catalog", "program"]
ADR = re.compile(r"\bADR\s*\d")
TEMPLATE_COMMENTS = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.S)
# Shown only to program staff in the Django admin, and changing it needs a migration of its own.
STAFF_ONLY: set[tuple[str, str]] = set()  # (path, name): none left


def test_templates_show_no_adr_numbers():
    cited = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = TEMPLATE_COMMENTS.sub("", path.read_text())
        cited += [f"{path.relative_to(ROOT)}: {m.group()}" for m in ADR.finditer(text)]
    assert cited == []


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _shown_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    skip = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_messages_in_code_show_no_adr_numbers():
    cited = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative:
                continue
            for text in _shown_strings(path):
                if ADR.search(text) and not any(
                    relative == where and name in path.read_text() for where, name in STAFF_ONLY
                ):
                    cited.append(f"{relative}: {text[:60]}")
    assert cited == []


def test_the_scan_sees_a_cited_adr():
    assert ADR.search(TEMPLATE_COMMENTS.sub("", "<p>approved (ADR 0007).</p>"))
    assert not ADR.search(TEMPLATE_COMMENTS.sub("", "{% comment %}ADR 0008{% endcomment %}"))
