"""Whether a customer is typing in a taken-over chat (shown in the desk as "Kunde schreibt …").

The website widget reports typing at most every few seconds; the signal
lasts :data:`TYPING_SECONDS`. It is kept in this process's memory only: a
lost signal costs nothing but the hint, so it is not worth a table.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

TYPING_SECONDS = 6.0
MAX_CONVERSATIONS = 10_000


class TypingSignals:
    """Recent typing signals per conversation.

    Args:
        clock: Monotonic seconds (tests).

    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def mark(self, conversation_id: str) -> None:
        """Record that the customer of ``conversation_id`` is typing now."""
        now = self._clock()
        with self._lock:
            if len(self._until) >= MAX_CONVERSATIONS:
                self._until = {k: v for k, v in self._until.items() if v > now}
            self._until[conversation_id] = now + TYPING_SECONDS

    def is_typing(self, conversation_id: str) -> bool:
        """Tell whether the customer typed within the last :data:`TYPING_SECONDS`."""
        with self._lock:
            return self._until.get(conversation_id, 0.0) > self._clock()
