"""dealer_info: opening hours, address and phone by city, nearest workshop by postal code.

No verification needed. Without a place in the request, ``dealer_form``
asks for a city or postal code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import slots
from actions.journey_forms import JourneyFormValidation
from actions.journey_support import crm_call, start_form
from actions.services import Services, UsesServices
from bot.crm.errors import CRMError
from bot.crm.schemas import Workshop
from bot.dialogue.noted_values import Kind
from bot.self_service.dealers import Place, read_place, workshop_values
from bot.self_service.places import postal_code_area

logger = logging.getLogger(__name__)

DEALER_FORM = "dealer_form"
DEALER_LOCATION = "dealer_location"


@dataclass(frozen=True)
class Search:
    """The workshops found for a place, and how they were found.

    Attributes:
        workshops: The workshops (nearest first when searched by postal code).
        instead_of: A known town without a workshop: the workshops are the
            nearest to its postal code area.
        not_a_place: The words were neither a postal code nor a town
            ("am Samstag", a name): nothing was searched.

    """

    workshops: list[Workshop]
    instead_of: str | None = None
    not_a_place: bool = False


async def search_workshops(services: Services, place: Place, *, town_named: bool) -> Search:
    """Find the workshops of a place; for a town without one, the nearest ones.

    Args:
        services: The actions' collaborators (the CRM).
        place: The postal code or town the customer named.
        town_named: The NLU recognised the town (a ``city`` entity): an
            unknown town is still a town, not a misread answer.

    Raises:
        CRMError: The CRM did not answer.

    """
    crm = services.crm
    found = await crm_call(crm.find_workshops(city=place.city, postal_code=place.postal_code))
    if found or not place.city:
        return Search(found)
    area = postal_code_area(place.city)
    if area is None:
        return Search([], not_a_place=not town_named)
    return Search(await crm_call(crm.find_workshops(postal_code=area)), instead_of=place.city)


def _place_of_request(tracker: Tracker) -> Place | None:
    stored = tracker.get_slot(DEALER_LOCATION)
    if isinstance(stored, dict):
        return Place(postal_code=stored.get("postal_code"), city=stored.get("city"))
    if slots.latest_intent(tracker) != "dealer_info":
        return None
    return read_place(
        None,  # the request's own words are a question, not a place
        city=next(tracker.get_latest_entity_values("city"), None),
        postal_code=next(tracker.get_latest_entity_values("postal_code"), None),
    )


def _town_named(tracker: Tracker, place: Place) -> bool:
    """Tell whether the place's town is one the NLU recognised (or stored from such)."""
    town = next(tracker.get_latest_entity_values("city"), None)
    return place.city is not None and (town is not None or _stored(tracker))


def _stored(tracker: Tracker) -> bool:
    stored = tracker.get_slot(DEALER_LOCATION)
    return isinstance(stored, dict) and bool(stored.get("town_named"))


class ActionDealerInfo(UsesServices, Action):
    """Show the workshops of a city, or the nearest one to a postal code."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_dealer_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer for the place asked for, or ask for a place."""
        place = _place_of_request(tracker)
        cleared: list[EventType] = [SlotSet(DEALER_LOCATION, None)]
        if place is None:
            return start_form(DEALER_FORM, (DEALER_LOCATION,))
        try:
            search = await search_workshops(
                self.services, place, town_named=_town_named(tracker, place)
            )
        except CRMError as error:
            logger.warning("Workshop search failed: %s", error)
            dispatcher.utter_message(response="utter_crm_unavailable")
            return cleared
        found = search.workshops
        if search.not_a_place:
            dispatcher.utter_message(response="utter_dealer_location_unknown")
            return cleared
        if not found:
            dispatcher.utter_message(response="utter_dealer_none", place=place.label)
            return cleared
        if search.instead_of:
            dispatcher.utter_message(
                response="utter_dealer_nearest_instead",
                place=search.instead_of,
                **workshop_values(found[0]),
            )
            return cleared
        if place.postal_code:
            dispatcher.utter_message(
                response="utter_dealer_nearest", place=place.label, **workshop_values(found[0])
            )
            return cleared
        for workshop in found[:3]:
            dispatcher.utter_message(response="utter_dealer_found", **workshop_values(workshop))
        return cleared


class ValidateDealerForm(JourneyFormValidation):
    """Read a city or postal code."""

    FORM_SLOTS = (DEALER_LOCATION,)
    OWN_INTENTS = frozenset({"inform", "dealer_info"})
    VALUE_KINDS = {DEALER_LOCATION: frozenset({Kind.PLACE})}
    MISPLACED_RESPONSES = {DEALER_LOCATION: "utter_dealer_location_unknown"}

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "validate_dealer_form"

    def extract_dealer_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Take a postal code or city from entities or the short answer."""
        text = self.answer(tracker, DEALER_LOCATION)
        if text is None:
            return {}
        place = read_place(
            text,
            city=self.entity(tracker, "city"),
            postal_code=self.entity(tracker, "postal_code"),
        )
        if place is None:
            dispatcher.utter_message(response="utter_dealer_location_unknown")
            return {DEALER_LOCATION: None}
        town_named = self.entity(tracker, "city") is not None
        return {
            DEALER_LOCATION: {
                "postal_code": place.postal_code,
                "city": place.city,
                "town_named": town_named,
            }
        }
