"""Only the actions that read the domain get it from Rasa (43 kB of JSON per call otherwise)."""

from __future__ import annotations

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from tests.support.processes import PROJECT_ROOT
from tests.support.production import production_environment


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.production.yml"])
def test_the_domain_goes_only_to_the_actions_that_read_it(
    domain: Domain, endpoints: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in production_environment("http://127.0.0.1:5055", "rasa").items():
        monkeypatch.setenv(name, value)
    endpoint = read_endpoint_config(str(PROJECT_ROOT / endpoints), "action_endpoint")
    tracker = DialogueStateTracker("selective", domain.slots)

    def sends_domain(name: str) -> bool:
        return "domain" in RemoteAction(name, endpoint)._action_call_format(tracker, domain)

    custom = [a for a in domain.user_actions if not a.startswith("utter_")]
    readers = {"action_session_start"} | {a for a in custom if a.startswith("validate_")}
    assert {a for a in custom if sends_domain(a)} == readers
    assert "validate_verification_form" in readers
