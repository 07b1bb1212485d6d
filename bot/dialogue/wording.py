"""The text of a ``domain.yml`` response, for the places that cannot utter one.

All wording lives in ``domain.yml``. Two places need a response's text
rather than its name: the bot service, which appends the takeover notices to
a conversation through Rasa's HTTP API (that takes texts), and the desk's
transcript of the same notices. They read it here, from the same file Rasa
reads (``NORDLICHT_DOMAIN_FILE``, by default the project's ``domain.yml``).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"


class WordingError(LookupError):
    """A response is missing from the domain, or has no text."""


def domain_file() -> Path:
    """Return the domain file (``NORDLICHT_DOMAIN_FILE`` or the project's ``domain.yml``)."""
    configured = os.environ.get("NORDLICHT_DOMAIN_FILE")
    return Path(configured) if configured else DEFAULT_DOMAIN_FILE


@lru_cache(maxsize=4)
def _texts(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as stream:
        domain = yaml.safe_load(stream) or {}
    texts: dict[str, str] = {}
    for name, variants in (domain.get("responses") or {}).items():
        first = variants[0] if isinstance(variants, list) and variants else {}
        if isinstance(first, dict) and isinstance(first.get("text"), str):
            texts[str(name)] = first["text"]
    return texts


def response_text(response: str, /, **values: Any) -> str:
    """Return the (first) text of ``response`` with its placeholders filled in.

    Raises:
        WordingError: The domain has no text for ``response``, or a value is missing.

    """
    text = _texts(domain_file()).get(response)
    if text is None:
        raise WordingError(f"domain.yml has no text for {response}")
    try:
        return text.format(**values)
    except KeyError as error:
        raise WordingError(f"{response} needs the value {error}") from error
