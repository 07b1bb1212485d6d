"""Messenger's rules for a person's replies: the 24-hour window and the ``HUMAN_AGENT`` tag.

Meta lets a page answer freely for 24 hours after the customer's last
message; afterwards, for up to 7 days, only a human agent may reply, and
the message must carry the ``HUMAN_AGENT`` tag. The bot service decides
(it knows when the customer last wrote); the Messenger output channel
sends the tag it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.escalation import schemas

STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_TAG = "HUMAN_AGENT"
"""Meta's tag for a person's reply up to 7 days after the customer's last message."""


def message_tag(
    channel: str, transcript: Sequence[schemas.TranscriptEntry], now: datetime
) -> str | None:
    """Return the tag an agent's message needs now (None: inside the window, or not Messenger)."""
    if channel != "messenger":
        return None
    last = max((line.timestamp for line in transcript if line.role == "customer"), default=None)
    if last is None or now - last >= STANDARD_WINDOW:
        return HUMAN_AGENT_TAG
    return None
