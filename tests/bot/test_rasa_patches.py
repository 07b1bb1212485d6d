"""The patches of Rasa internals: pinned to the code they replace, installed, same behaviour."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

import bot.nlu.components  # noqa: F401  (installs the patches, as in every Rasa process)
from bot import rasa_patches
from bot.rasa_patches import PATCHES, install, installed, source_sha256


@pytest.mark.parametrize("patch", PATCHES, ids=lambda p: p.target)
def test_rasa_still_has_the_code_the_patch_was_written_for(patch) -> None:
    assert source_sha256(patch.original()) == patch.source_sha256, (
        f"Rasa changed {patch.target}: read the new code, adapt bot/rasa_patches.py, re-pin"
    )


def test_importing_our_components_installs_every_patch_once() -> None:
    assert installed() == [p.target for p in PATCHES]
    install()  # a second time changes nothing
    for patch in PATCHES:
        assert patch.owner_class().__dict__[patch.name] is patch.replacement
        assert not hasattr(patch.original(), "__nordlicht_patch__")


# --- 1. action server responses --------------------------------------------------

VALID_RESPONSES: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "customer_number", "value": "K-100001"},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"response": "utter_greet", "buttons": []}],
    },
]
MALFORMED_RESPONSES: list[Any] = [
    {"events": {"event": "slot"}},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"responses": ["utter_greet"]},
    ["not", "an", "object"],
]


def validate(result: Any) -> bool:
    from rasa.core.actions.action import RemoteAction

    return RemoteAction("action_test", None)._validate_action_result(result)


@pytest.mark.parametrize("response", VALID_RESPONSES)
def test_a_valid_action_response_passes(response) -> None:
    assert validate(response) is True


@pytest.mark.parametrize("response", MALFORMED_RESPONSES)
def test_a_malformed_action_response_is_rejected_as_rasa_rejects_it(response) -> None:
    from rasa.core.actions.action import RemoteAction

    with pytest.raises(jsonschema.ValidationError) as ours:
        validate(response)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(rasas.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(rasas.value.path)


# --- in a running server -----------------------------------------------------------


@pytest.mark.model
@pytest.mark.e2e
def test_the_running_rasa_server_has_the_patches_installed(rasa_server) -> None:
    expected = ", ".join(p.target for p in rasa_patches.PATCHES)
    assert f"Rasa patches installed: {expected}" in rasa_server.log()
