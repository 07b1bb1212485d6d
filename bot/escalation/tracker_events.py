"""The ``events`` table of Rasa's SQL tracker store, as far as our readers need it.

Rasa writes one row per event (``data`` holds the event as JSON). The
escalation sweeper, the past-conversation reader, analytics, the training
inbox and erasure read it; none of them writes it.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
