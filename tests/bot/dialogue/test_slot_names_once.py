"""Slot names are written once, in bot.dialogue.slots; code elsewhere imports them.

A slot written as a string literal in a second module drifts (a renamed slot
keeps working in one place and silently breaks in the other). Text that only
mentions a slot (docstrings, comments, log-masking key lists) is not code that
reads or writes it, so the check looks at comparisons, subscripts, calls and
collection literals in the AST, not at plain text.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.dialogue import slots
from bot.settings import PROJECT_ROOT

SLOT_NAMES = {
    value
    for name, value in vars(slots).items()
    if name.isupper() and isinstance(value, str) and not value.endswith("_form")
}
# Words that are slot names and also, in another sense, entity names of the NLU,
# fields of our own APIs, CRM columns or variables of response templates.
SHARED_WORDS = {
    "customer_number",
    "postal_code",
    "agent_name",
    "appointment_number",
    "appointment_service",
    "dialogue_loop",  # also the handoff reason of the loop breaker (bot.escalation.reasons)
}
ALLOWED_MODULES = {
    PROJECT_ROOT / "bot" / "dialogue" / "slots.py",
    PROJECT_ROOT / "bot" / "log_privacy.py",
}


def slot_literals(path: Path) -> list[tuple[int, str]]:
    """Return (line, name) of slot names used as string constants in code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value in SLOT_NAMES - SHARED_WORDS
            and id(node) not in docstrings
        ):
            found.append((node.lineno, node.value))
    return found


def test_code_outside_bot_dialogue_imports_slot_names() -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line} {name!r}"
        for folder in ("bot", "actions")
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py"))
        if path not in ALLOWED_MODULES and "migrations" not in path.parts
        for line, name in slot_literals(path)
    ]
    assert offenders == [], "import these from bot.dialogue.slots:\n" + "\n".join(offenders)
