"""Trackers kept between turns: handed out only while the database holds nothing newer."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

import bot.nlu.components  # noqa: F401  (installs the patches, as in every Rasa process)
from bot.rasa.tracker_cache import TrackerCache, holds_only_latest_session
from bot.rasa.tracker_store import CUSTOMER_TOKEN_KEY, StrictSQLTrackerStore
from tests.bot.rasa.test_patches import DOMAIN_YAML, stored_rows, turn


@pytest.fixture
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_yaml(DOMAIN_YAML)


def store(domain: Any, path: Any, **options: Any) -> StrictSQLTrackerStore:
    return StrictSQLTrackerStore(domain, dialect="sqlite", db=str(path), **options)


def as_dicts(tracker: Any) -> list[dict[str, Any]]:
    return [event.as_dict() for event in tracker.events]


async def loaded(domain: Any, path: Any, sender_id: str = "c1") -> Any:
    """The conversation as a store without a cache loads it."""
    return await store(domain, path, cache_conversations=0).retrieve(sender_id)


async def test_the_next_turn_gets_the_saved_tracker_equal_to_a_load(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    for i in range(3):
        turn(tracker, domain, f"Hallo {i}", number=f"K-10000{i}")
        await rasa.save(tracker)
        again = await rasa.retrieve("c1")
        assert again is tracker
        assert as_dicts(again) == as_dicts(await loaded(domain, path))
    assert rasa.cache.counts.hits == 3
    assert stored_rows(path) == as_dicts(tracker)
    assert tracker.get_slot("customer_number") == "K-100002"


async def test_a_turn_taken_by_another_server_is_not_missed(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    first, second = store(domain, path), store(domain, path)
    tracker = await first.get_or_create_tracker("c1")
    turn(tracker, domain, "Nachricht 0")
    await first.save(tracker)  # kept by the first server
    other = await second.retrieve("c1")
    turn(other, domain, "Nachricht 1")
    await second.save(other)
    back = await first.retrieve("c1")
    assert back is not tracker
    assert first.cache.counts.stale == 1
    texts = [e.text for e in back.events if e.type_name == "user"]
    assert texts == ["Nachricht 0", "Nachricht 1"]
    assert as_dicts(back) == stored_rows(path)


async def test_an_erased_conversation_is_not_handed_out_again(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    turn(tracker, domain, "Meine Nummer", number="K-100001")
    await rasa.save(tracker)
    with sqlite3.connect(path) as connection:  # the privacy eraser deletes every event
        connection.execute("DELETE FROM events WHERE sender_id = 'c1'")
    assert await rasa.retrieve("c1") is None


async def test_the_same_number_of_other_events_is_not_taken_for_ours(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    first, second = store(domain, path), store(domain, path)
    tracker = await first.get_or_create_tracker("c1")
    turn(tracker, domain, "alt")
    await first.save(tracker)
    with sqlite3.connect(path) as connection:  # erased, then written again elsewhere
        connection.execute("DELETE FROM events WHERE sender_id = 'c1'")
    other = await second.get_or_create_tracker("c1")
    turn(other, domain, "neu")
    await second.save(other)
    back = await first.retrieve("c1")
    assert [e.text for e in back.events if e.type_name == "user"] == ["neu"]


async def test_a_handed_out_tracker_is_handed_out_once(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    turn(tracker, domain, "Hallo")
    await rasa.save(tracker)
    assert await rasa.retrieve("c1") is tracker
    reader = await rasa.retrieve("c1")  # e.g. the HTTP API while a turn runs
    assert reader is not tracker
    assert as_dicts(reader) == as_dicts(tracker)


async def test_a_tracker_changed_after_its_save_is_loaded_afresh(domain, tmp_path) -> None:
    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    turn(tracker, domain, "Hallo")
    await rasa.save(tracker)
    turn(tracker, domain, "nie gespeichert")  # a turn that failed before its save
    back = await rasa.retrieve("c1")
    assert back is not tracker
    assert "nie gespeichert" not in [e.text for e in back.events if e.type_name == "user"]


async def test_a_tracker_that_started_a_new_session_is_loaded_afresh(domain, tmp_path) -> None:
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    turn(tracker, domain, "alte Sitzung")
    await rasa.save(tracker)
    tracker = await rasa.retrieve("c1")
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        domain,
    )
    turn(tracker, domain, "neue Sitzung")
    await rasa.save(tracker)
    assert not holds_only_latest_session(tracker)
    latest = await rasa.retrieve("c1")
    assert latest is not tracker
    texts = [e.text for e in latest.events if e.type_name == "user"]
    assert texts == ["neue Sitzung"]
    turn(latest, domain, "weiter")
    await rasa.save(latest)
    assert await rasa.retrieve("c1") is latest  # from now on the session is kept


async def test_a_kept_tracker_holds_no_customer_token(domain, tmp_path) -> None:
    from rasa.shared.core.events import UserUttered

    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    tracker.update(UserUttered("Hallo", metadata={CUSTOMER_TOKEN_KEY: "signed-token"}), domain)
    await rasa.save(tracker)
    kept = await rasa.retrieve("c1")
    assert kept is not None and kept is not tracker
    assert CUSTOMER_TOKEN_KEY not in str(as_dicts(kept))
    turn(kept, domain, "weiter")
    await rasa.save(kept)
    assert stored_rows(path) == as_dicts(kept)


async def test_a_new_model_gets_its_trackers_loaded_with_its_domain(domain, tmp_path) -> None:
    from rasa.shared.core.domain import Domain

    path = tmp_path / "tracker.db"
    rasa = store(domain, path)
    tracker = await rasa.get_or_create_tracker("c1")
    turn(tracker, domain, "Hallo")
    await rasa.save(tracker)
    rasa.domain = Domain.from_yaml(DOMAIN_YAML)  # Rasa sets the new model's domain
    assert await rasa.retrieve("c1") is not tracker


async def test_a_cache_of_zero_keeps_nothing(domain, tmp_path) -> None:
    rasa = store(domain, tmp_path / "tracker.db", cache_conversations=0)
    tracker = await rasa.get_or_create_tracker("c1")
    turn(tracker, domain, "Hallo")
    await rasa.save(tracker)
    assert len(rasa.cache) == 0
    assert await rasa.retrieve("c1") is not tracker


def test_a_negative_cache_size_is_refused(domain, tmp_path) -> None:
    with pytest.raises(ValueError, match="cache_conversations"):
        store(domain, tmp_path / "tracker.db", cache_conversations=-1)


class FakeTracker:
    def __init__(self, sender_id: str) -> None:
        self.sender_id = sender_id
        self.events: list[Any] = []


def test_the_oldest_and_the_idle_conversations_leave_the_cache() -> None:
    import sqlalchemy as sa

    table = sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String),
        sa.Column("timestamp", sa.Float),
    )
    now = [0.0]
    cache = TrackerCache(table, size=2, max_idle_seconds=60, clock=lambda: now[0])
    domain = object()
    for name in ("a", "b", "c"):
        cache.keep(FakeTracker(name), domain, (1, 1, 1.0))
    assert len(cache) == 2
    assert cache.take("a", domain, lambda: (1, 1, 1.0)) is None  # the oldest went
    now[0] = 61.0
    assert cache.take("b", domain, lambda: (1, 1, 1.0)) is None  # idle too long
    cache.keep(FakeTracker("d"), domain, (1, 1, 1.0))
    assert len(cache) == 1  # "c" was idle too long as well
    assert cache.take("d", domain, lambda: (1, 1, 1.0)) is not None
