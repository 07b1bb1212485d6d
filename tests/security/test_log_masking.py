"""Logs carry no personal data above DEBUG: the demo customers' data, as it reaches logs.

In process: every way the demo customers' data can reach a log record
(arguments, dict and model reprs, JSON, key=value, exceptions, access-log
lines) is masked at INFO and above, and kept at DEBUG. In every process:
the Rasa server (through its channels), the action server (through the
``actions`` package) and the bot service (``bot serve``) mask; after
conversations that verify demo customers, the running servers' logs hold
none of their numbers, names, e-mail addresses or phone numbers.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import log_privacy
from bot.customer_tokens import issue_customer_token
from tests.e2e.chat import Chat
from tests.support.processes import PROJECT_ROOT

DEMO = yaml.safe_load((PROJECT_ROOT / "bot/crm/seed_data/demo_customers.yml").read_text())
CUSTOMERS: list[dict[str, Any]] = DEMO["customers"]


def personal_values(customer: dict[str, Any]) -> list[str]:
    """What must never be in a log: number (every spelling), name, e-mail, phone, street."""
    number = customer["customer_number"]
    return [
        number,
        number.replace("-", ""),
        customer["last_name"],
        customer["email"],
        customer["phone"],
        customer["phone"].replace(" ", ""),
        customer["street"],
    ]


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """The formatted output of every record logged (masking installed) during the test."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    log_privacy.install()
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


@pytest.mark.parametrize("customer", CUSTOMERS, ids=[c["customer_number"] for c in CUSTOMERS])
def test_the_demo_customers_data_is_masked_above_debug(
    customer: dict[str, Any], log_lines: list[str]
) -> None:
    log = logging.getLogger("tests.security.masking")
    number, first, last = customer["customer_number"], customer["first_name"], customer["last_name"]
    salutation, email, phone = customer["salutation"], customer["email"], customer["phone"]
    profile = {"customer_number": number, "first_name": first, "last_name": last,
               "email": email, "phone": phone, "street": customer["street"],
               "postal_code": customer["postal_code"], "city": customer["city"]}  # fmt: skip
    message_event = {"event": "user", "text": f"Ich bin {first} {last}, {number}, {email}"}
    token = issue_customer_token(number, "s" * 40)
    log.info("Customer %s verified", number)
    log.warning("Contact change for %s: %s -> %s", number.replace("-", ""), email, phone)
    log.warning("Profile %s", profile)
    log.error("Tracker %s", json.dumps({"events": [message_event], "sender_id": "conv-1"}))
    log.warning("Customer(first_name=%r, last_name=%r, email=%r)", first, last, email)
    log.info("Bot said: Guten Tag %s %s!", salutation, last)
    log.warning("Metadata customer_token=%s, header Authorization: Bearer %s", token, token)
    log.info('127.0.0.1:5000 - "GET /api/crm/customers/%s HTTP/1.1" 200', number)
    try:
        raise ValueError(f"cannot parse message {message_event['text']!r}")
    except ValueError:
        log.exception("Action failed for %s", email)
    output = "\n".join(log_lines)
    assert len(log_lines) == 9
    for value in [*personal_values(customer), token, first]:
        assert value not in output, value
    assert output.count("[redacted]") >= 20

    log_lines.clear()
    log.debug("Customer %s %s", number, email)  # DEBUG is for development: kept
    assert number in log_lines[0] and email in log_lines[0]


def test_a_huge_message_is_never_logged_whole(log_lines: list[str]) -> None:
    logging.getLogger("tests.security.masking").warning("Message: %s", "x" * 1_000_000)
    assert len(log_lines[0]) < 5000


def test_python_warnings_are_masked_too() -> None:
    """Rasa reports an unexpected entity in a message with a Python warning."""
    code = (
        "import logging, sys, warnings\n"
        "import bot.channels\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO, force=True)\n"
        'warnings.warn(\'Parsed /inform{"customer_number": "K-100002"}\', UserWarning)\n'
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert "UserWarning" in result.stdout, result.stderr[-2000:]
    assert "K-100002" not in result.stdout + result.stderr


def test_formatters_that_need_the_arguments_still_work(log_lines: list[str]) -> None:
    """uvicorn's access log unpacks the record's arguments: they stay a (masked) tuple."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    access = logging.getLogger(f"tests.security.access.{uuid.uuid4().hex}")
    access.setLevel(logging.INFO)
    access.propagate = False
    access.addHandler(Keep())
    path = "/api/crm/customers/K-100001"
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", path, "1.1", 200)
    _client, method, path, _version, status = records[0].args  # type: ignore[misc]
    assert (method, status) == ("GET", 200) and "K-100001" not in path


@pytest.mark.parametrize("module", ["actions", "bot.channels", "bot.cli"])
def test_every_process_masks_once_its_entry_module_is_imported(module: str) -> None:
    """What the action server, the Rasa server (credentials.yml) and `bot` import first."""
    entry = (
        "import bot.cli; bot.log_privacy.install()" if module == "bot.cli" else f"import {module}"
    )
    if module == "bot.cli":  # main() installs it before anything else
        entry = (
            "import bot.cli, sys; sys.argv = ['bot', '--help']\n"
            "try:\n    bot.cli.main()\nexcept SystemExit:\n    pass"
        )
    code = (
        f"{entry}\nimport logging, sys\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO, force=True)\n"
        "logging.getLogger('probe').warning('%s wrote %s', 'K-100001', 'anna.schmidt@example.de')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert "WARNING:probe:[redacted] wrote [redacted]" in result.stdout, result.stderr[-2000:]


@pytest.mark.model
@pytest.mark.e2e
def test_the_running_servers_logs_hold_no_personal_data(
    rasa_server, crm_server, server_logs: Path
) -> None:
    for customer in CUSTOMERS[:3]:
        chat = Chat(rasa_server)
        chat.verify(customer["customer_number"], customer["postal_code"])
        chat.say(f"Meine E-Mail ist {customer['email']}, Telefon {customer['phone']}")
    logs = {path.name: path.read_text(errors="replace") for path in server_logs.glob("*.log")}
    assert {"rasa.log", "actions.log"} <= set(logs) and any(n.startswith("crm") for n in logs)
    for name, text in logs.items():
        for customer in CUSTOMERS[:3]:
            for value in personal_values(customer):
                assert value not in text, f"{value!r} in {name}"
    assert "[redacted]" in "".join(t for n, t in logs.items() if n.startswith("crm"))
