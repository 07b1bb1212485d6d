"""Texts a channel sends itself, without a dialogue turn, taken from domain.yml.

A channel answers a refused message (empty, too long) or a failed turn on its
own. The wording still lives in the domain's responses, like every other
customer-facing text; this module reads it from the agent Rasa loaded.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def canned_text(app: Any, response_name: str) -> str:
    """Return the first text variant of ``response_name`` in the loaded domain.

    Args:
        app: The Rasa server's Sanic app (``app.ctx.agent`` holds the model).
        response_name: The response in domain.yml.

    Returns:
        The text; the response name itself if no model or response is there
        (logged as an error: the domain lacks a response channels rely on).

    """
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    domain = getattr(agent, "domain", None)
    variants = (getattr(domain, "responses", None) or {}).get(response_name) or []
    for variant in variants:
        if isinstance(variant, dict) and isinstance(variant.get("text"), str):
            return variant["text"]
    logger.error("No text for %s in the loaded domain.", response_name)
    return response_name
