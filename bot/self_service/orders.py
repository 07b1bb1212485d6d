"""Where an order stands, in plain German, and which order the customer means."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.crm.enums import OrderStatus
from bot.crm.identifiers import normalize_document_number
from bot.crm.schemas import Order
from bot.formatting import format_date
from bot.self_service.replies import Button, Reply
from bot.time_facts import has_passed

OPEN_STATUSES = frozenset({OrderStatus.ORDERED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED})
"""Orders the customer still waits for."""

_STATUS_RESPONSE = {
    OrderStatus.ORDERED: "utter_order_ordered",
    OrderStatus.IN_PRODUCTION: "utter_order_in_production",
    OrderStatus.SHIPPED: "utter_order_shipped",
    OrderStatus.DELIVERED: "utter_order_delivered",
    OrderStatus.CANCELLED: "utter_order_cancelled",
}


def order_status_replies(
    orders: Sequence[Order], asked_for: str | None = None, *, today: date
) -> list[Reply]:
    """Answer a question about orders.

    Args:
        orders: The customer's orders, newest first.
        asked_for: An order number the customer named (any spelling), or None.
        today: Today's date (a delivery date before it has passed).

    Returns:
        The named order's status; else the only open order's status; a choice
        (buttons) between several open orders; the newest order's status when
        none is open; or that there is no order at all.

    """
    if asked_for:
        number = normalize_document_number(asked_for, "B")
        match = [order for order in orders if order.order_number == number]
        if not match:
            return [Reply("utter_order_not_found", {"order_number": asked_for.strip().upper()})]
        return [status_reply(match[0], today)]
    if not orders:
        return [Reply("utter_order_none")]
    waiting = [order for order in orders if order.status in OPEN_STATUSES]
    if len(waiting) > 1:
        buttons = tuple(
            Button(
                f"{order.item} ({order.order_number})",
                "order_status",
                {"order_number": order.order_number},
            )
            for order in waiting
        )
        return [Reply("utter_order_choose", {"order_count": str(len(waiting))}, buttons)]
    return [status_reply(waiting[0] if waiting else orders[0], today)]


def status_reply(order: Order, today: date) -> Reply:
    """Return the status of one order in plain German (with date and tracking number).

    An open order whose expected delivery has passed is late: the answer
    says so (``..._late``) and offers help instead of a date in the past.
    """
    values = {"order_item": order.item, "order_number": order.order_number}
    response = _STATUS_RESPONSE[order.status]
    if order.expected_delivery is not None:
        values["order_delivery_date"] = format_date(order.expected_delivery)
        if order.status in OPEN_STATUSES and has_passed(order.expected_delivery, today):
            response += "_late"
    elif order.status in OPEN_STATUSES:
        response += "_undated"
    if order.status is OrderStatus.SHIPPED:
        if order.carrier_tracking:
            values["order_tracking"] = order.carrier_tracking
        else:
            response = response.replace("utter_order_shipped", "utter_order_shipped_untracked")
    return Reply(response, values)
