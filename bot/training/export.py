"""The labelled inbox items as a Rasa NLU training data document (YAML, format 3.1)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from bot.training.schemas import InboxItemOut

HEADER = (
    "# Labelled in the trainers' workbench (/training) from real, masked conversations.\n"
    "# Exported {stamp} UTC by `make nlu-inbox`; review the diff before committing.\n"
)


def nlu_yaml(items: Iterable[InboxItemOut], exported_at: datetime | None = None) -> str:
    """Return the labelled items as ``version: "3.1"`` NLU data, one block per intent."""
    by_intent: dict[str, list[str]] = {}
    for item in items:
        if item.label is None:
            continue
        by_intent.setdefault(item.label.intent, []).append(annotated(item))
    lines = []
    if exported_at is not None:
        lines.append(HEADER.format(stamp=exported_at.strftime("%Y-%m-%d %H:%M")).rstrip("\n"))
    lines += ['version: "3.1"', ""]
    if not by_intent:
        lines.append("nlu: []")
        return "\n".join(lines) + "\n"
    lines.append("nlu:")
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {example}" for example in sorted(set(by_intent[intent]))]
        lines.append("")
    return "\n".join(lines)


def annotated(item: InboxItemOut) -> str:
    """Return the item's text with its entities in Rasa's ``[text](entity)`` syntax.

    Brackets outside the entities become parentheses (Rasa would read them as
    markup), line breaks become spaces.
    """
    text = item.text
    spans = sorted(item.label.entities if item.label else [], key=lambda s: s.start)
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(_plain(text[position : span.start]))
        surface = text[span.start : span.end]
        if span.value and span.value != surface:
            markup = json.dumps({"entity": span.entity, "value": span.value}, ensure_ascii=False)
            parts.append(f"[{surface}]{markup}")
        else:
            parts.append(f"[{surface}]({span.entity})")
        position = span.end
    parts.append(_plain(text[position:]))
    return " ".join("".join(parts).split())


def _plain(text: str) -> str:
    return text.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")")
