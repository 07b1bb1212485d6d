"""Patches of Rasa 3.6 internals that cost time on every turn (issue 14).

Each patch replaces one method of a Rasa class with a version that does the
same work once instead of on every call. They are installed by
:func:`install`, which ``bot.nlu.components`` calls on import: every Rasa
process that loads or trains our model imports that package (the pipeline
names its components), whatever its command line (``rasa run`` from the
Procfile, tests and benchmarks, ``rasa shell``, ``rasa test``).

A patch relies on the exact code it replaces, so each one pins the SHA-256 of
the original's source; ``tests/bot/test_rasa_patches.py`` fails when a Rasa
upgrade changes it (re-read the new code, adapt the patch, re-pin).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

logger = logging.getLogger(__name__)

_MARK = "__nordlicht_patch__"


@dataclass(frozen=True)
class Patch:
    """One method of a Rasa class replaced by ours.

    Attributes:
        module: The module that defines the class.
        owner: The class name.
        name: The method name.
        source_sha256: SHA-256 of the original method's source (what we read).
        replacement: The function installed instead.

    """

    module: str
    owner: str
    name: str
    source_sha256: str
    replacement: Callable[..., Any]

    @property
    def target(self) -> str:
        """Return ``module:Class.method``."""
        return f"{self.module}:{self.owner}.{self.name}"

    def owner_class(self) -> type:
        """Return the Rasa class the method belongs to."""
        return getattr(import_module(self.module), self.owner)  # type: ignore[no-any-return]

    def original(self) -> Callable[..., Any]:
        """Return Rasa's own method (also after :func:`install`)."""
        current = self.owner_class().__dict__[self.name]
        return getattr(current, _MARK, current)  # type: ignore[no-any-return]


def source_sha256(function: Callable[..., Any]) -> str:
    """Return the SHA-256 of a function's source text."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


# --- 1. the validation of action server responses -------------------------------
#
# RemoteAction._validate_action_result calls jsonschema.validate for every
# response of the action server. That function first checks the *schema*
# against its draft 2020-12 meta-schema ($dynamicRef resolution, urllib work)
# and builds a new validator, every time: 45-56 % of the Rasa process under
# load. The schema never changes, so it is checked and compiled once; every
# response is still validated against it, and a malformed one raises the same
# ValidationError with the same message as before.


@cache
def _action_response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Validate an action server response against the compiled schema (as Rasa does)."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error: ValidationError | None = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


PATCHES: tuple[Patch, ...] = (
    Patch(
        "rasa.core.actions.action",
        "RemoteAction",
        "_validate_action_result",
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42",
        _validate_action_result,
    ),
)


def install() -> None:
    """Install every patch (idempotent)."""
    for patch in PATCHES:
        owner = patch.owner_class()
        current = owner.__dict__[patch.name]
        if getattr(current, _MARK, None) is not None:
            continue
        setattr(patch.replacement, _MARK, current)
        setattr(owner, patch.name, patch.replacement)
    logger.info("Rasa patches installed: %s", ", ".join(p.target for p in PATCHES))


def installed() -> list[str]:
    """Return the targets whose patch is in place."""
    return [
        patch.target
        for patch in PATCHES
        if getattr(patch.owner_class().__dict__[patch.name], _MARK, None) is not None
    ]
