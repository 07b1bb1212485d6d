"""The `bot` command: db upgrade, seed and serve, as real processes."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.crm.http_client import HttpCRMClient
from bot.settings import Secret
from tests.support import processes
from tests.support.processes import PROJECT_ROOT, VENV_BIN, free_port, running_server


def run_bot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bot.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_parser_knows_the_subcommands() -> None:
    parser = build_parser()
    assert parser.parse_args(["db", "upgrade"]).db_command == "upgrade"
    args = parser.parse_args(["seed", "--population", "10", "--today", "2026-11-23"])
    assert (args.population, str(args.today)) == (10, "2026-11-23")


def test_db_upgrade_and_seed_with_progress(tmp_path: Path) -> None:
    db = tmp_path / "crm.db"
    env = processes.server_environment(CRM_DATABASE_URL=f"sqlite:///{db}")
    upgraded = run_bot("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    seeded = run_bot("seed", "--population", "12", "--today", "2026-11-23", env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "seed: population: 12/12 customers added" in seeded.stdout
    assert "seed: done in" in seeded.stdout and "MB on disk" in seeded.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM customers").fetchone() == (17,)


def test_serve_refuses_to_start_without_a_token(tmp_path: Path) -> None:
    env = processes.server_environment(
        CRM_DATABASE_URL=f"sqlite:///{tmp_path / 'crm.db'}", CRM_API_TOKEN=""
    )
    result = run_bot("serve", env=env)
    assert result.returncode == 2
    assert "CRM_API_TOKEN is not set" in result.stderr


@pytest.mark.e2e
def test_serve_migrates_and_answers(tmp_path: Path) -> None:
    port = free_port()
    env = processes.server_environment(
        CRM_DATABASE_URL=f"sqlite:///{tmp_path / 'crm.db'}",
        CRM_API_TOKEN="serve-test-token",
        BOT_PORT=str(port),
    )
    command = [str(VENV_BIN / "python"), "-m", "bot.cli", "serve"]
    with running_server(
        "bot", command, f"http://127.0.0.1:{port}/healthz", tmp_path, env=env, timeout=60
    ):

        async def verify() -> bool:
            async with HttpCRMClient(f"http://127.0.0.1:{port}", Secret("serve-test-token")) as crm:
                return (await crm.verify_customer("K-100001", "80331")).verified

        assert asyncio.run(verify()) is False  # migrated but not seeded: nobody to verify
