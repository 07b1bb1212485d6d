"""`bot agents create` as a real process; `bot serve` insists on AGENT_TOKEN_SECRET."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.escalation.auth import verify_password
from tests.support import processes
from tests.support.processes import PROJECT_ROOT, VENV_BIN


def run_bot(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_agents_are_created_with_a_hashed_password_from_stdin_or_the_option(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    env = processes.server_environment(CRM_DATABASE_URL=f"sqlite:///{db}")
    created = run_bot(
        "agents",
        "create",
        "--username",
        "keller",
        "--display-name",
        "Frau Keller",
        env=env,
        stdin="geheim-aus-stdin\n",
    )
    assert created.returncode == 0, created.stderr
    assert "created keller (Frau Keller)" in created.stdout
    assert (
        run_bot(
            "agents", "create", "--username", "meier", "--password", "geheim-option", env=env
        ).returncode
        == 0
    )
    duplicate = run_bot(
        "agents", "create", "--username", "keller", "--password", "noch-ein-passwort", env=env
    )
    assert duplicate.returncode == 1 and "exists already" in duplicate.stderr
    trainer = run_bot(
        "agents", "create", "--username", "lind", "--password", "geheim-option",
        "--role", "trainer", "--role", "lead", env=env,
    )  # fmt: skip
    assert trainer.returncode == 0 and "roles trainer, lead" in trainer.stdout
    unknown = run_bot(
        "agents", "create", "--username", "x", "--password", "geheim-option", "--role", "boss",
        env=env,
    )  # fmt: skip
    assert unknown.returncode == 2 and "unknown role 'boss'" in unknown.stderr
    short = run_bot("agents", "create", "--username", "kurz", "--password", "kurz", env=env)
    assert short.returncode == 1 and "at least 8" in short.stderr
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT username, password_hash FROM agents")).all())
        roles = dict(connection.execute(text("SELECT username, roles FROM agents")).all())
    engine.dispose()
    assert set(rows) == {"keller", "meier", "lind"}
    assert roles == {"keller": "agent", "meier": "agent", "lind": "trainer,lead"}
    assert verify_password("geheim-aus-stdin", rows["keller"]) and "geheim" not in rows["keller"]


def test_serve_refuses_to_start_without_an_agent_token_secret(tmp_path: Path) -> None:
    env = processes.server_environment(
        CRM_DATABASE_URL=f"sqlite:///{tmp_path / 'crm.db'}", CRM_API_TOKEN="t" * 40
    )
    env.pop("AGENT_TOKEN_SECRET")
    result = run_bot("serve", "--port", str(processes.free_port()), env=env)
    assert result.returncode == 2 and "AGENT_TOKEN_SECRET" in result.stderr


def test_agents_are_listed_disabled_enabled_and_get_a_new_password(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    env = processes.server_environment(CRM_DATABASE_URL=f"sqlite:///{db}")
    assert run_bot(
        "agents", "create", "--username", "keller", "--display-name", "Frau Keller",
        "--password", "geheim-option", env=env,
    ).returncode == 0  # fmt: skip
    disabled = run_bot("agents", "disable", "--username", "keller", env=env)
    assert disabled.returncode == 0 and "keller disabled" in disabled.stdout
    listing = run_bot("agents", "list", env=env)
    assert listing.returncode == 0
    assert re.search(r"keller\s+gesperrt\s+Frau Keller  \[agent\]", listing.stdout), listing.stdout
    assert run_bot("agents", "enable", "--username", "keller", env=env).returncode == 0
    assert re.search(r"keller\s+aktiv", run_bot("agents", "list", env=env).stdout)
    reset = run_bot(
        "agents", "reset-password", "--username", "keller", env=env, stdin="ganz-neu-2026\n"
    )
    assert reset.returncode == 0, reset.stderr
    unknown = run_bot("agents", "disable", "--username", "niemand", env=env)
    assert unknown.returncode == 1 and "no agent named 'niemand'" in unknown.stderr
    short = run_bot(
        "agents", "reset-password", "--username", "keller", "--password", "kurz", env=env
    )
    assert short.returncode == 1 and "at least 8" in short.stderr
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        stored, generation = connection.execute(
            text("SELECT password_hash, token_generation FROM agents WHERE username = 'keller'")
        ).one()
        actions = connection.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars()
        audited = list(actions)
    engine.dispose()
    assert verify_password("ganz-neu-2026", stored)
    assert generation == 2  # disabled once, reset once: older tokens are dead
    assert audited[-3:] == ["agent_disabled", "agent_enabled", "password_reset"]
