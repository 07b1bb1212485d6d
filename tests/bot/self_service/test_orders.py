from datetime import date

import pytest

from bot.crm.enums import OrderKind, OrderStatus
from bot.crm.schemas import Order
from bot.self_service.orders import order_status_replies

TODAY = date(2026, 11, 23)


def order(number: str, status: OrderStatus, delivery=date(2026, 11, 27), tracking=None) -> Order:
    return Order(
        order_number=number,
        kind=OrderKind.ACCESSORY,
        item=f"Artikel {number}",
        status=status,
        expected_delivery=delivery,
        carrier_tracking=tracking,
    )


def test_a_shipped_order_names_date_and_tracking_number() -> None:
    [reply] = order_status_replies(
        [order("B-1", OrderStatus.SHIPPED, tracking="0034")], today=TODAY
    )
    assert reply.response == "utter_order_shipped"
    assert reply.values["order_delivery_date"] == "27.11.2026"
    assert reply.values["order_tracking"] == "0034"


def test_every_status_has_its_plain_german_response() -> None:
    expected = {
        OrderStatus.ORDERED: "utter_order_ordered",
        OrderStatus.IN_PRODUCTION: "utter_order_in_production",
        OrderStatus.SHIPPED: "utter_order_shipped_untracked",
        OrderStatus.DELIVERED: "utter_order_delivered",
        OrderStatus.CANCELLED: "utter_order_cancelled",
    }
    for status, response in expected.items():
        assert order_status_replies([order("B-1", status)], today=TODAY)[0].response == response
    undated = order_status_replies(
        [order("B-1", OrderStatus.IN_PRODUCTION, delivery=None)], today=TODAY
    )
    assert undated[0].response == "utter_order_in_production_undated"


def test_several_open_orders_are_offered_as_buttons() -> None:
    orders = [
        order("B-20250009", OrderStatus.SHIPPED),
        order("B-20250008", OrderStatus.DELIVERED),
        order("B-20250007", OrderStatus.ORDERED),
    ]
    [reply] = order_status_replies(orders, today=TODAY)
    assert reply.response == "utter_order_choose"
    assert reply.values == {"order_count": "2"}
    assert [b.as_dict()["payload"] for b in reply.buttons] == [
        '/order_status{"order_number": "B-20250009"}',
        '/order_status{"order_number": "B-20250007"}',
    ]


def test_a_named_order_is_answered_and_an_unknown_one_is_said_so() -> None:
    orders = [order("B-20250009", OrderStatus.SHIPPED), order("B-20250007", OrderStatus.ORDERED)]
    assert (
        order_status_replies(orders, "b20250007", today=TODAY)[0].response == "utter_order_ordered"
    )
    missing = order_status_replies(orders, "B-99999999", today=TODAY)[0]
    assert missing.response == "utter_order_not_found"
    assert missing.values == {"order_number": "B-99999999"}


def test_without_open_orders_the_newest_is_described_and_none_at_all_is_said() -> None:
    assert order_status_replies([order("B-1", OrderStatus.CANCELLED)], today=TODAY)[0].response == (
        "utter_order_cancelled"
    )
    assert order_status_replies([], today=TODAY)[0].response == "utter_order_none"


@pytest.mark.parametrize(
    ("status", "delivery", "today", "response"),
    [
        # the expected day itself still says "kommt voraussichtlich am"
        (OrderStatus.SHIPPED, date(2026, 12, 31), date(2026, 12, 31), "utter_order_shipped"),
        # from the next day on it would be a date in the past: late (year end)
        (OrderStatus.SHIPPED, date(2026, 12, 31), date(2027, 1, 1), "utter_order_shipped_late"),
        # leap day
        (OrderStatus.SHIPPED, date(2028, 2, 29), date(2028, 2, 29), "utter_order_shipped"),
        (OrderStatus.SHIPPED, date(2028, 2, 29), date(2028, 3, 1), "utter_order_shipped_late"),
        # month end, a Saturday and a Sunday
        (OrderStatus.ORDERED, date(2026, 11, 30), date(2026, 12, 1), "utter_order_ordered_late"),
        (
            OrderStatus.IN_PRODUCTION,
            date(2026, 11, 28),
            date(2026, 11, 29),
            ("utter_order_in_production_late"),
        ),
        (
            OrderStatus.IN_PRODUCTION,
            date(2026, 11, 29),
            date(2026, 11, 28),
            ("utter_order_in_production"),
        ),
        # delivered and cancelled orders have no delivery ahead of them
        (OrderStatus.DELIVERED, date(2026, 11, 2), date(2026, 11, 23), "utter_order_delivered"),
        (OrderStatus.CANCELLED, date(2026, 11, 2), date(2026, 11, 23), "utter_order_cancelled"),
    ],
)
def test_a_passed_delivery_date_is_never_announced_as_ahead(
    status: OrderStatus, delivery: date, today: date, response: str
) -> None:
    [reply] = order_status_replies([order("B-1", status, delivery, tracking="0034")], today=today)
    assert reply.response == response
    assert reply.values["order_delivery_date"] == f"{delivery:%d.%m.%Y}"


def test_a_late_untracked_parcel_offers_help_without_a_tracking_number() -> None:
    late = order("B-1", OrderStatus.SHIPPED, date(2026, 11, 20))
    [reply] = order_status_replies([late], today=TODAY)
    assert reply.response == "utter_order_shipped_untracked_late"
    assert "order_tracking" not in reply.values
