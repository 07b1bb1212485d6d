"""The inbox in the bot service's database: record, list, label, ignore, count.

Everything stored here is masked already (``bot.training.masking``); this
module never sees a raw customer message.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clock import Clock, system_clock
from bot.crm.service.base import as_naive_utc
from bot.training import schemas
from bot.training.models import InboxItem, InboxSighting, ParsedTurn

MAX_ITEMS_PER_PAGE = 500
UNKNOWN_INTENT = "unknown"
_KEYS_PER_QUERY = 500
"""Event keys per ``IN`` list (SQLite allows 999 parameters in old versions)."""


class InboxError(Exception):
    """A request the inbox cannot carry out (the API answers with ``status_code``)."""

    status_code = 400


class ItemNotFound(InboxError):
    """No inbox item with this id."""

    status_code = 404


@dataclass(frozen=True)
class Sighting:
    """One user message that belongs in the inbox, masked.

    Attributes:
        event_key: Unique per message (conversation id and event time).
        text: The masked text.
        reason: Why it belongs in the inbox.
        predictions: The model's top three intents with confidences.
        conversation_id: The conversation it came from.
        channel: The input channel, when known.
        seen_at: When the customer wrote it (UTC).
        context: The masked turns around it (``speaker``, ``text``, ``current``).

    """

    event_key: str
    text: str
    reason: schemas.Reason
    predictions: list[dict[str, Any]]
    conversation_id: str
    channel: str | None
    seen_at: datetime
    context: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class TurnCount:
    """One parsed user message, for the per-intent figures (see :class:`ParsedTurn`).

    Attributes:
        event_key: Unique per message (as :attr:`Sighting.event_key`).
        intent: The top intent (without the fallback).
        fell_back: Whether the message went to the fallback.
        seen_at: When the customer wrote it (UTC).

    """

    event_key: str
    intent: str
    fell_back: bool
    seen_at: datetime


def text_key(text: str) -> str:
    """Return the key that makes the same masked text one item (case and spacing ignored)."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


class TrainingInbox:
    """The trainers' inbox over the CRM database.

    Args:
        sessions: Session factory of the bot service's database.
        intents: The intents a label may name (the domain's).
        entities: The entities a label may mark.
        clock: Current time (injected in tests).

    """

    def __init__(
        self,
        sessions: Callable[[], Session],
        intents: Collection[str],
        entities: Collection[str],
        clock: Clock = system_clock,
    ) -> None:
        self._sessions = sessions
        self.intents = frozenset(intents)
        self.entities = frozenset(entities)
        self._clock = clock

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def count_turns(self, turns: Sequence[TurnCount]) -> int:
        """Count parsed user messages for the per-intent figures, in one transaction.

        A message counted before (its event key is stored: an earlier sweep, a
        restart that reads the events again, a redelivery) or twice in
        ``turns`` counts once. Should another process count one of them between
        the look-up and the insert, each is counted in a transaction of its
        own instead, as before batching.

        Returns:
            How many were counted now.

        """
        rows: dict[str, dict[str, Any]] = {}
        for turn in turns:
            key = turn.event_key[:300]
            rows.setdefault(
                key,
                {
                    "event_key": key,
                    "intent": (turn.intent or UNKNOWN_INTENT)[:60],
                    "fell_back": int(turn.fell_back),
                    "seen_at": as_naive_utc(turn.seen_at),
                },
            )
        if not rows:
            return 0
        try:
            return self._insert_turns(rows)
        except IntegrityError:
            counted = 0
            for key, row in rows.items():
                with contextlib.suppress(IntegrityError):  # the other process counted it
                    counted += self._insert_turns({key: row})
            return counted

    def _insert_turns(self, rows: dict[str, dict[str, Any]]) -> int:
        rows = dict(rows)
        keys = list(rows)
        with self._writing() as session:
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                chunk = keys[start : start + _KEYS_PER_QUERY]
                for key in session.execute(
                    select(ParsedTurn.event_key).where(ParsedTurn.event_key.in_(chunk))
                ).scalars():
                    rows.pop(key, None)
            if rows:
                session.execute(insert(ParsedTurn.__table__), list(rows.values()))
        return len(rows)

    def record(self, sighting: Sighting) -> int | None:
        """Put a message into the inbox (or count it); return the item id, None if seen before."""
        for _attempt in range(2):  # a concurrent first sighting of the same text: retry once
            try:
                return self._record(sighting)
            except IntegrityError as error:
                if "event_key" in str(error.orig) or self._seen(sighting.event_key):
                    return None
        return None

    def _seen(self, event_key: str) -> bool:
        with self._sessions() as session:
            found = session.execute(
                select(InboxSighting.id).where(InboxSighting.event_key == event_key[:300])
            ).first()
            return found is not None

    def _record(self, sighting: Sighting) -> int:
        seen_at = as_naive_utc(sighting.seen_at)
        top = str(sighting.predictions[0]["intent"]) if sighting.predictions else None
        with self._writing() as session:
            key = text_key(sighting.text)
            item = session.execute(
                select(InboxItem).where(InboxItem.text_key == key)
            ).scalar_one_or_none()
            if item is None:
                item = InboxItem(
                    text_key=key,
                    text=sighting.text,
                    reason=sighting.reason.value,
                    predicted_intent=top,
                    predictions=sighting.predictions[:3],
                    count=0,
                    first_seen=seen_at,
                    last_seen=seen_at,
                    status=schemas.Status.OPEN.value,
                )
                session.add(item)
                session.flush()
            session.add(
                InboxSighting(
                    event_key=sighting.event_key[:300],
                    item_id=item.id,
                    conversation_id=sighting.conversation_id[:255],
                    seen_at=seen_at,
                    context=sighting.context,
                )
            )
            session.flush()  # a sighting seen before fails here, before the count moves
            item.count = (item.count or 0) + 1
            if seen_at >= item.last_seen:
                item.last_seen = seen_at
                item.conversation_id = sighting.conversation_id[:255]
                item.channel = (sighting.channel or "")[:40] or None
                item.predictions = sighting.predictions[:3]
                item.predicted_intent = top
            item.first_seen = min(item.first_seen, seen_at)
            if sighting.reason is schemas.Reason.FLAGGED:
                item.reason = sighting.reason.value  # an agent's flag outranks the model's doubt
            return int(item.id)

    def list_items(
        self,
        status: schemas.Status = schemas.Status.OPEN,
        reason: schemas.Reason | None = None,
        intent: str | None = None,
        limit: int = MAX_ITEMS_PER_PAGE,
    ) -> list[schemas.InboxItemOut]:
        """Return items, most often seen first, then most recent."""
        query = select(InboxItem).where(InboxItem.status == status.value)
        if reason is not None:
            query = query.where(InboxItem.reason == reason.value)
        if intent:
            query = query.where(InboxItem.predicted_intent == intent)
        query = query.order_by(
            InboxItem.count.desc(), InboxItem.last_seen.desc(), InboxItem.id.desc()
        ).limit(max(1, min(limit, MAX_ITEMS_PER_PAGE)))
        with self._sessions() as session:
            return [_item_out(item) for item in session.execute(query).scalars()]

    def get(self, item_id: int) -> schemas.InboxItemOut:
        """Return one item.

        Raises:
            ItemNotFound: No such item.

        """
        with self._sessions() as session:
            return _item_out(self._item(session, item_id))

    def find(self, text: str) -> schemas.InboxItemOut | None:
        """Return the item of this (masked) text, if there is one."""
        with self._sessions() as session:
            item = session.execute(
                select(InboxItem).where(InboxItem.text_key == text_key(text))
            ).scalar_one_or_none()
            return _item_out(item) if item is not None else None

    def label(self, item_id: int, label: schemas.Label, agent_id: int) -> schemas.InboxItemOut:
        """Store a trainer's label (intent and entities); ``out_of_scope`` marks it out of scope.

        Raises:
            ItemNotFound: No such item.
            InboxError: An unknown intent or entity, or a span outside the text.

        """
        if label.intent not in self.intents:
            raise InboxError(f"unknown intent {label.intent!r}")
        with self._writing() as session:
            item = self._item(session, item_id)
            entities = _checked_entities(item.text, label.entities, self.entities)
            item.label_intent = label.intent
            item.label_entities = entities
            item.status = schemas.Status.LABELLED.value
            item.labelled_by = agent_id
            item.labelled_at = as_naive_utc(self._clock())
            return _item_out(item)

    def ignore(self, item_id: int, agent_id: int) -> schemas.InboxItemOut:
        """Set an item aside (not a training example).

        Raises:
            ItemNotFound: No such item.

        """
        with self._writing() as session:
            item = self._item(session, item_id)
            item.status = schemas.Status.IGNORED.value
            item.label_intent, item.label_entities = None, None
            item.labelled_by = agent_id
            item.labelled_at = as_naive_utc(self._clock())
            return _item_out(item)

    def conversation(self, item_id: int) -> schemas.ConversationOut:
        """Return the masked turns around the item's most recent sighting.

        Raises:
            ItemNotFound: No such item.

        """
        with self._sessions() as session:
            self._item(session, item_id)
            sighting = session.execute(
                select(InboxSighting)
                .where(InboxSighting.item_id == item_id)
                .order_by(InboxSighting.seen_at.desc(), InboxSighting.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if sighting is None:
                return schemas.ConversationOut(conversation_id="", turns=[])
            return schemas.ConversationOut(
                conversation_id=sighting.conversation_id,
                turns=[schemas.ContextTurn(**turn) for turn in sighting.context],
            )

    def labelled(self) -> list[schemas.InboxItemOut]:
        """Return every labelled item, by intent, then oldest first."""
        query = (
            select(InboxItem)
            .where(InboxItem.status == schemas.Status.LABELLED.value)
            .order_by(InboxItem.label_intent, InboxItem.id)
        )
        with self._sessions() as session:
            return [_item_out(item) for item in session.execute(query).scalars()]

    def intent_counts(self) -> dict[str, tuple[int, int, int]]:
        """Per intent: (predicted, fell back) in conversations, and open items predicted as it."""
        with self._sessions() as session:
            turns = session.execute(
                select(ParsedTurn.intent, func.count(), func.sum(ParsedTurn.fell_back)).group_by(
                    ParsedTurn.intent
                )
            ).all()
            items = dict(
                session.execute(
                    select(InboxItem.predicted_intent, func.count())
                    .where(InboxItem.status == schemas.Status.OPEN.value)
                    .group_by(InboxItem.predicted_intent)
                ).all()
            )
        counts = {str(intent): (int(n), int(fell or 0), 0) for intent, n, fell in turns}
        for intent, open_items in items.items():
            predicted, fell, _ = counts.get(str(intent), (0, 0, 0))
            counts[str(intent)] = (predicted, fell, int(open_items))
        return counts

    @staticmethod
    def _item(session: Session, item_id: int) -> InboxItem:
        item = session.get(InboxItem, item_id)
        if item is None:
            raise ItemNotFound(f"no inbox item {item_id}")
        return cast(InboxItem, item)


def _checked_entities(
    text: str, spans: Sequence[schemas.EntitySpan], known: Collection[str]
) -> list[dict[str, object]]:
    checked: list[dict[str, object]] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if span.entity not in known:
            raise InboxError(f"unknown entity {span.entity!r}")
        if not 0 <= span.start < span.end <= len(text) or not text[span.start : span.end].strip():
            raise InboxError(f"the span {span.start}-{span.end} is not a part of the text")
        if any(span.start < end and start < span.end for start, end in taken):
            raise InboxError("entity spans overlap")
        if any(c in "[]()" for c in text[span.start : span.end]):
            raise InboxError("an entity may not contain brackets")
        taken.append((span.start, span.end))
        entry: dict[str, object] = {"start": span.start, "end": span.end, "entity": span.entity}
        if span.value:
            entry["value"] = span.value
        checked.append(entry)
    return checked


def _item_out(item: InboxItem) -> schemas.InboxItemOut:
    label = None
    if item.status == schemas.Status.LABELLED.value and item.label_intent:
        label = schemas.Label(intent=item.label_intent, entities=item.label_entities or [])
    return schemas.InboxItemOut(
        id=item.id,
        text=item.text,
        reason=schemas.Reason(item.reason),
        predictions=[schemas.PredictionOut(**p) for p in item.predictions or []],
        count=item.count,
        first_seen=item.first_seen,
        last_seen=item.last_seen,
        conversation_id=item.conversation_id,
        channel=item.channel,
        status=schemas.Status(item.status),
        label=label,
    )
