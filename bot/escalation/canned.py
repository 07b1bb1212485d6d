"""Canned answers (Textbausteine) with placeholders filled from the escalation.

A text may use ``{anrede}`` ("Guten Tag Frau Schmidt", or "Guten Tag" for a
customer who is not verified), ``{kundennummer}``, ``{fall}`` (the case
number) and ``{werkstatt}`` (the customer's preferred workshop). A value the
escalation does not have leaves its placeholder in the text and is listed in
``missing``, so the agent sees what to fill in by hand instead of sending a
gap. Personal values are only filled for a verified customer.

The German starter set is written by migration ``0007_desk_working_day``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import cast

from pydantic import Field, validator
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, system_clock
from bot.crm.db import create_session_factory
from bot.crm.schemas.base import Command, Schema
from bot.crm.service.base import as_naive_utc
from bot.escalation import schemas
from bot.escalation.errors import EscalationConflict, EscalationNotFound
from bot.escalation.models import CannedResponse
from bot.escalation.views import utc_at

PLACEHOLDERS = ("anrede", "kundennummer", "fall", "werkstatt")
_PLACEHOLDER = re.compile(r"\{([a-zA-Z_]+)\}")
SHORTCUT_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
GREETING = "Guten Tag"


class CannedInput(Command):
    """A canned answer as a lead writes it."""

    shortcut: str = Field(..., regex=SHORTCUT_PATTERN, description="Typed as /shortcut.")
    title: str = Field(..., min_length=1, max_length=120)
    text: str = Field(..., min_length=1, max_length=2000)

    @validator("title", "text")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @validator("text")
    def _known_placeholders(cls, value: str) -> str:
        unknown = sorted(set(_PLACEHOLDER.findall(value)) - set(PLACEHOLDERS))
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; known: {known}")
        return value


class Canned(Schema):
    """A stored canned answer."""

    id: int
    shortcut: str
    title: str
    text: str
    updated_at: datetime


class FilledCanned(Canned):
    """A canned answer filled for one escalation."""

    filled: str = Field(..., description="The text with every known placeholder filled.")
    missing: list[str] = Field(..., description="Placeholders without a value (left in).")


class CannedNotFound(EscalationNotFound):
    """No canned answer with that id."""


class ShortcutTaken(EscalationConflict):
    """Another canned answer has that shortcut."""


def placeholder_values(escalation: schemas.EscalationItem) -> dict[str, str | None]:
    """Return the placeholder values an escalation offers (None: unknown)."""
    customer = escalation.customer
    verified = customer.verified
    return {
        "anrede": f"{GREETING} {customer.address_name}"
        if verified and customer.address_name
        else GREETING,
        "kundennummer": customer.customer_number if verified else None,
        "fall": escalation.case_number,
        "werkstatt": customer.workshop if verified else None,
    }


def fill(text: str, values: dict[str, str | None]) -> tuple[str, list[str]]:
    """Fill the placeholders of ``text``; return the text and the placeholders left open."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value:
            return value
        if name not in missing:
            missing.append(name)
        return match.group(0)

    return _PLACEHOLDER.sub(replace, text), missing


class CannedResponses:
    """The canned answers in the CRM database.

    Args:
        engine_or_sessions: Engine or session factory of the CRM database.
        clock: Current time (injected in tests).

    """

    def __init__(
        self, engine_or_sessions: Engine | sessionmaker, clock: Clock = system_clock
    ) -> None:
        if isinstance(engine_or_sessions, Engine):
            engine_or_sessions = create_session_factory(engine_or_sessions)
        self._sessions: Callable[[], Session] = engine_or_sessions
        self._clock = clock

    def all(self) -> list[Canned]:
        """Return every canned answer, by shortcut."""
        with self._sessions() as session:
            rows = session.execute(select(CannedResponse).order_by(CannedResponse.shortcut))
            return [_view(row) for row in rows.scalars()]

    def filled_for(self, escalation: schemas.EscalationItem) -> list[FilledCanned]:
        """Return every canned answer filled for ``escalation``."""
        values = placeholder_values(escalation)
        answers = []
        for canned in self.all():
            text, missing = fill(canned.text, values)
            answers.append(FilledCanned(**canned.dict(), filled=text, missing=missing))
        return answers

    def create(self, body: CannedInput) -> Canned:
        """Store a new canned answer.

        Raises:
            ShortcutTaken: The shortcut is in use.

        """
        now = as_naive_utc(self._clock())
        row = CannedResponse(**body.dict(), created_at=now, updated_at=now)
        with self._saving(body.shortcut) as session:
            session.add(row)
            session.flush()
            return _view(row)

    def update(self, canned_id: int, body: CannedInput) -> Canned:
        """Replace a canned answer.

        Raises:
            CannedNotFound: No such canned answer.
            ShortcutTaken: Another canned answer has the shortcut.

        """
        with self._saving(body.shortcut) as session:
            row = _get(session, canned_id)
            row.shortcut, row.title, row.text = body.shortcut, body.title, body.text
            row.updated_at = as_naive_utc(self._clock())
            session.flush()
            return _view(row)

    def delete(self, canned_id: int) -> None:
        """Delete a canned answer.

        Raises:
            CannedNotFound: No such canned answer.

        """
        with self._sessions() as session, session.begin():
            session.delete(_get(session, canned_id))

    @contextmanager
    def _saving(self, shortcut: str) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except IntegrityError:
            raise ShortcutTaken(f"the shortcut /{shortcut} is in use") from None


def _get(session: Session, canned_id: int) -> CannedResponse:
    row = session.get(CannedResponse, canned_id)
    if row is None:
        raise CannedNotFound(f"no canned answer {canned_id}")
    return cast(CannedResponse, row)


def _view(row: CannedResponse) -> Canned:
    return Canned(
        id=row.id,
        shortcut=row.shortcut,
        title=row.title,
        text=row.text,
        updated_at=utc_at(row.updated_at),
    )
