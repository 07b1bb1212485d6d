"""Settings of the Redis that the Rasa servers of a cluster share.

One Rasa process keeps socket.io rooms and Messenger message ids in memory.
Behind a load balancer, with several Rasa servers, a customer's browser is
connected to one server while a message for them (an agent's, sent through
the HTTP API) may arrive at another, and Meta may re-deliver a webhook to the
other server. With ``CLUSTER_REDIS_URL`` set (``redis://host:6379/4``) the
socket.io channel passes its messages through Redis pub/sub
(python-socketio's ``AsyncRedisManager``) and the Messenger channel keeps its
message ids in Redis. Unset: in memory, as for a single process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

CLUSTER_REDIS_ENV_VAR = "CLUSTER_REDIS_URL"
SOCKETIO_REDIS_CHANNEL = "nordlicht_socketio"
"""The pub/sub channel of the socket.io servers."""


def cluster_redis_url(environ: Mapping[str, str] | None = None) -> str | None:
    """Return ``CLUSTER_REDIS_URL``, or ``None`` when unset or empty (one process).

    Args:
        environ: Environment to read; defaults to ``os.environ``.

    Returns:
        The Redis URL the Rasa servers share, if any.

    Raises:
        ValueError: If the value is not a ``redis://`` or ``rediss://`` URL.

    """
    env = os.environ if environ is None else environ
    url = env.get(CLUSTER_REDIS_ENV_VAR, "").strip()
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://")):
        raise ValueError(f"{CLUSTER_REDIS_ENV_VAR} must be a redis:// or rediss:// URL")
    return url
