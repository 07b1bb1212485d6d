"""Numbers the CRM hands out at run time (cases, appointments).

Demo records carry their own numbers, the generated population numbers below
``RUNTIME_START`` (see ``bot.crm.seed.population``); new records count up from
there, one counter row per kind, so numbers never collide.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.crm.models import NumberCounter

RUNTIME_START = 2_000_000
PREFIXES = {"case": "C", "appointment": "T", "lead": "P"}


def next_number(session: Session, kind: str) -> str:
    """Return the next number of ``kind`` ("case" -> "C-2000001").

    The counter row stays locked until the caller's transaction ends, so
    concurrent callers get distinct numbers.

    Args:
        session: The caller's session, inside a transaction.
        kind: A key of ``PREFIXES``.

    """
    counter = NumberCounter.__table__
    session.execute(
        update(counter).where(counter.c.name == kind).values(last_value=counter.c.last_value + 1)
    )
    value = session.execute(select(counter.c.last_value).where(counter.c.name == kind)).scalar_one()
    return f"{PREFIXES[kind]}-{value}"
