"""Fixtures shared by the whole suite: the trained model and running servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.model_files import current_model_path
from tests.support.processes import PROJECT_ROOT, VENV_BIN, free_port, running_server, test_environment


def _missing(reason: str) -> None:
    """Fail in CI (where everything must run), skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The trained model for the current inputs (``make train`` builds it)."""
    path = Path(os.environ.get("NORDLICHT_MODEL") or current_model_path())
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    if not path.is_file():
        _missing(f"no trained model at {path}: run `make train` (make test does it)")
    return path


@pytest.fixture(scope="session")
def agent(model_path: Path):
    """The trained model loaded once per session in this process."""
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


@pytest.fixture(scope="session")
def server_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server-logs")


@pytest.fixture(scope="session")
def action_server(server_logs: Path) -> Iterator:
    """The Rasa SDK action server with our actions, on a free port."""
    port = free_port()
    with running_server(
        "actions",
        [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(port), "--actions", "actions"],
        f"http://127.0.0.1:{port}/health",
        server_logs,
    ) as server:
        yield server


@pytest.fixture(scope="session")
def rasa_server(model_path: Path, action_server, server_logs: Path, tmp_path_factory) -> Iterator:
    """The Rasa server with the trained model, talking to the action server."""
    port = free_port()
    endpoints = tmp_path_factory.mktemp("rasa-config") / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "{action_server.url}/webhook"\n')
    token = "test-rasa-token"
    with running_server(
        "rasa",
        [
            str(VENV_BIN / "rasa"), "run", "--model", str(model_path), "--port", str(port),
            "--enable-api", "--auth-token", token, "--endpoints", str(endpoints),
            "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        ],
        f"http://127.0.0.1:{port}/status?token={token}",
        server_logs,
        env=test_environment(),
    ) as server:
        server.token = token
        yield server
