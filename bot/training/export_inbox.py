"""``make nlu-inbox``: the workbench's labelled messages into ``data/nlu/inbox/<date>.yml``.

Reads the bot service's database (``CRM_DATABASE_URL``), leaves out every
labelled text the training data has already (the same text twice, or under
two intents, is an error for ``rasa data validate``) and every text of the
held-out test sets (training on them would measure memory, not
understanding), writes the rest as Rasa NLU data and prints what changed:
examples per intent and the diff against the file as it was. ``make train``
then learns from it, and ``make nlu-eval`` refuses a model that got worse.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.clock import network_today
from bot.crm.db import create_crm_engine, create_session_factory
from bot.training.export import annotated, nlu_yaml
from bot.training.inbox import TrainingInbox
from bot.training.schemas import InboxItemOut

_MARKUP = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalised(text: str) -> str:
    """Return an example without entity markup, punctuation and case (for comparing)."""
    plain = _MARKUP.sub(r"\1", text)
    return " ".join(re.sub(r"[^\w\s]", " ", plain).lower().split())


def known_examples(files: Iterable[Path]) -> set[str]:
    """Return the normalised examples of the given NLU files."""
    found = set()
    for path in files:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.add(normalised(line[2:]))
    return found


def new_items(
    items: Iterable[InboxItemOut], training: set[str], tests: set[str]
) -> tuple[list[InboxItemOut], Counter[str]]:
    """Return the items to export and how many were left out, by why."""
    kept, skipped = [], Counter[str]()
    seen: set[str] = set()
    for item in items:
        key = normalised(annotated(item))
        if key in tests:
            skipped["in a held-out test set"] += 1
        elif key in training:
            skipped["in the training data already"] += 1
        elif key in seen:
            skipped["twice in the export"] += 1
        else:
            seen.add(key)
            kept.append(item)
    return kept, skipped


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    from bot.settings import Settings

    parser = argparse.ArgumentParser(description="Export labelled inbox items as NLU data.")
    parser.add_argument("--data", type=Path, default=Path("data/nlu"))
    parser.add_argument("--tests", type=Path, default=Path("tests/nlu"))
    parser.add_argument("--database", help="default: CRM_DATABASE_URL")
    args = parser.parse_args(argv)
    url = args.database or Settings.from_env().crm_database_url
    engine = create_crm_engine(url)
    try:
        inbox = TrainingInbox(create_session_factory(engine), (), ())
        labelled = inbox.labelled()
    finally:
        engine.dispose()
    target = args.data / "inbox" / f"{network_today().isoformat()}.yml"
    others = [p for p in args.data.rglob("*.yml") if p.resolve() != target.resolve()]
    others = [p for p in others if p.name != "augmented_variants.yml"]
    kept, skipped = new_items(
        labelled, known_examples(others), known_examples(args.tests.glob("*.yml"))
    )
    before = target.read_text(encoding="utf-8") if target.exists() else ""
    after = nlu_yaml(kept)
    print(f">> {len(labelled)} labelled in the workbench, {len(kept)} exported to {target}")
    for why, count in sorted(skipped.items()):
        print(f"   left out {count}: {why}")
    for intent, count in sorted(Counter(i.label.intent for i in kept if i.label).items()):
        print(f"   {intent}: {count}")
    if not kept:
        print(">> nothing new to export")
        return 0
    if before == after:
        print(">> unchanged")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(after, encoding="utf-8")
    diff = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{target} (before)",
        tofile=str(target),
    )
    sys.stdout.writelines(diff)
    print(">> next: make validate && make train && make nlu-eval (refuses a worse model)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
