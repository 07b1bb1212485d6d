"""Agents of the running bot service (`bot serve`): accounts and log-ins, as an agent would."""

from __future__ import annotations

import subprocess

import httpx

from tests.support.crm_server import CRMServer
from tests.support.processes import PROJECT_ROOT, VENV_BIN


def create_agent(
    server: CRMServer, username: str, password: str, display_name: str, *roles: str
) -> None:
    """Create an account with `bot agents create`, as an admin would (once per name).

    ``roles`` are role names ("lead", "trainer", "privacy"); none means a plain agent.
    """
    role_args = [arg for role in roles for arg in ("--role", role)]
    result = subprocess.run(
        [str(VENV_BIN / "bot"), "agents", "create", "--username", username,
         "--display-name", display_name, "--password", password, *role_args],
        cwd=PROJECT_ROOT, env=server.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0 or "exists already" in result.stderr, result.stderr


def agent_token(server: CRMServer, username: str, password: str) -> str:
    """Log the agent in (which marks them online) and return their access token."""
    response = httpx.post(
        f"{server.url}/api/auth/login",
        json={"username": username, "password": password},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])
