"""The bot's own markup keeps its type: a translated text (`tr.t(...)`, which is Slack markup) is
composed with the markup helpers (`fmt`, `join`), never inside an f-string or with `+`, which
turn it into a plain string that the next helper escapes, so that members would read
`&lt;!date^...&gt;` instead of a date. Files and PDFs take `tr.text(...)`, plain text."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ("bot", "handlers", "usecases", "rendering")


def _translated(node: ast.AST) -> bool:
    """Whether the expression is translated markup: a call of the translator's `.t(...)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "t"
    )


def offences(source: str, name: str) -> list[str]:
    """Where `source` turns translated markup into a plain string, by line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and any(
            isinstance(part, ast.FormattedValue) and _translated(part.value) for part in node.values
        ):
            found.append((node.lineno, "markup inside an f-string"))
        added = isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Add)
        sides = (node.left, node.right) if isinstance(node, ast.BinOp) else ()
        if added and any(_translated(side) for side in (*sides, getattr(node, "value", None))):
            found.append((node.lineno, "markup joined with +"))
    return [f"{name}:{line}: {what}" for line, what in sorted(found)]


def test_translated_markup_is_composed_with_the_markup_helpers_only() -> None:
    found = [
        offence
        for floor in FLOORS
        for path in sorted((ROOT / floor).rglob("*.py"))
        for offence in offences(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert found == []


def test_the_rule_catches_both_ways_of_losing_markup() -> None:
    code = (
        'a = f"{tr.t(\'x\')}!"\nb = tr.t("x") + " more"\nc += tr.t("x")\n'
        'd = fmt("{}!", tr.t("x"))\ne = [1] + [tr.t("x")]\n'
    )
    assert [o.split(": ", 1)[1] for o in offences(code, "m.py")] == [
        "markup inside an f-string",
        "markup joined with +",
        "markup joined with +",
    ]
