"""`bot privacy erase` and `bot privacy retention --dry-run`, as an operator runs them."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.support.processes import PROJECT_ROOT, VENV_BIN, server_environment


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "bot"), "privacy", *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_erase_prints_the_receipt_and_retention_says_what_it_would_delete(
    seeded_crm_file, tmp_path
) -> None:
    shutil.copy(seeded_crm_file, tmp_path / "crm.db")
    env = server_environment(
        CRM_DATABASE_URL=f"sqlite:///{tmp_path / 'crm.db'}",
        RASA_TRACKER_STORE_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
    )
    erased = run(env, "erase", "K-100005")
    assert erased.returncode == 0, erased.stderr
    receipt = json.loads(erased.stdout)
    assert receipt["customer_number"] == "K-100005" and receipt["erased"]["crm"]["customer"] == 1
    assert set(receipt["erased"]) == {
        "crm",
        "tracker_store",
        "escalations",
        "feedback",
        "analytics",
        "training_inbox",
    }
    unknown = run(env, "erase", "K-999999")
    assert unknown.returncode == 1 and "unknown customer number" in unknown.stderr
    dry = run(env, "retention", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["dry_run"] is True
