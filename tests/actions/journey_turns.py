"""Trackers for the self-service journeys: a request, and one answer inside a form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from tests.actions.conftest import action, make_tracker, slot, user


def request_tracker(
    domain: dict[str, Any],
    text: str,
    intent: str,
    entities: Iterable[tuple[str, str]] = (),
    *,
    customer: str | None = "K-100001",
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """The tracker a journey sees after the customer's request (verified as ``customer``)."""
    values = {"verified_customer_number": customer, **(slots or {})}
    return make_tracker(domain, [action("action_listen"), user(text, intent, entities)], values)


def form_tracker(
    domain: dict[str, Any],
    form: str,
    asked: str | None,
    text: str,
    intent: str = "inform",
    entities: Iterable[tuple[str, str]] = (),
    *,
    customer: str | None = "K-100001",
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """The tracker the form's validation action gets after the customer's answer."""
    values = {"verified_customer_number": customer, "requested_slot": asked, **(slots or {})}
    events = [
        action("action_listen"),
        user(text, intent, entities),
        slot("requested_slot", asked),
        action(form),
    ]
    return make_tracker(domain, events, values, active_loop=form)
