from datetime import date

from bot.crm.enums import OrderKind, OrderStatus
from bot.crm.schemas import Order
from bot.self_service.orders import order_status_replies


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
    [reply] = order_status_replies([order("B-1", OrderStatus.SHIPPED, tracking="0034")])
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
        assert order_status_replies([order("B-1", status)])[0].response == response
    undated = order_status_replies([order("B-1", OrderStatus.IN_PRODUCTION, delivery=None)])
    assert undated[0].response == "utter_order_in_production_undated"


def test_several_open_orders_are_offered_as_buttons() -> None:
    orders = [
        order("B-20250009", OrderStatus.SHIPPED),
        order("B-20250008", OrderStatus.DELIVERED),
        order("B-20250007", OrderStatus.ORDERED),
    ]
    [reply] = order_status_replies(orders)
    assert reply.response == "utter_order_choose"
    assert reply.values == {"order_count": "2"}
    assert [b.as_dict()["payload"] for b in reply.buttons] == [
        '/order_status{"order_number": "B-20250009"}',
        '/order_status{"order_number": "B-20250007"}',
    ]


def test_a_named_order_is_answered_and_an_unknown_one_is_said_so() -> None:
    orders = [order("B-20250009", OrderStatus.SHIPPED), order("B-20250007", OrderStatus.ORDERED)]
    assert order_status_replies(orders, "b20250007")[0].response == "utter_order_ordered"
    missing = order_status_replies(orders, "B-99999999")[0]
    assert missing.response == "utter_order_not_found"
    assert missing.values == {"order_number": "B-99999999"}


def test_without_open_orders_the_newest_is_described_and_none_at_all_is_said() -> None:
    assert order_status_replies([order("B-1", OrderStatus.CANCELLED)])[0].response == (
        "utter_order_cancelled"
    )
    assert order_status_replies([])[0].response == "utter_order_none"
