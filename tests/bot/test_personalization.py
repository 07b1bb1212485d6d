from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.crm import schemas
from bot.crm.enums import InvoiceStatus, OrderKind, OrderStatus
from bot.personalization import (
    ANSWERED_BY,
    addressee,
    completed_years,
    loyalty,
    select_highlights,
)
from bot.topics import PERSONAL_TOPICS

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0)
"""09:00 in the customers' time zone on ``TODAY`` (a Monday)."""


def kinds(highlights) -> list[str]:
    return [h.kind for h in highlights]


@pytest.fixture
async def profiles(local_crm) -> dict[str, schemas.CustomerProfile]:
    numbers = ["K-100001", "K-100002", "K-100003", "K-100004", "K-100005"]
    return {number: await local_crm.get_profile(number) for number in numbers}


async def test_customers_are_addressed_by_salutation_and_name(profiles) -> None:
    assert addressee(profiles["K-100001"].customer) == "Frau Schmidt"
    assert addressee(profiles["K-100002"].customer) == "Herr Yilmaz"
    nameless = profiles["K-100001"].customer.copy(update={"salutation": " "})
    assert addressee(nameless) == "Anna Schmidt"


async def test_long_standing_customers_are_thanked_with_their_years(profiles) -> None:
    thanks = loyalty(profiles["K-100001"].customer, TODAY)
    assert thanks is not None and thanks.kind == "long_standing"
    assert thanks.values == {"customer_since_year": "2004", "loyalty_years": "22"}
    wagner = loyalty(profiles["K-100003"].customer, TODAY)  # since 2015-02-20: 11 years
    assert wagner is not None and wagner.values["loyalty_years"] == "11"


async def test_new_customers_are_welcomed_and_others_not_mentioned(profiles) -> None:
    becker = loyalty(profiles["K-100005"].customer, TODAY)  # since 2026-10-01
    assert becker is not None and becker.kind == "new_customer"
    assert loyalty(profiles["K-100002"].customer, TODAY) is None  # since 2022
    assert loyalty(profiles["K-100004"].customer, TODAY) is None  # since 2019, Platinum


def test_years_are_completed_years() -> None:
    assert completed_years(date(2016, 11, 24), TODAY) == 9
    assert completed_years(date(2016, 11, 23), TODAY) == 10


async def test_schmidt_hears_of_her_parcel_then_her_appointment(profiles) -> None:
    found = select_highlights(profiles["K-100001"], NOW)
    assert kinds(found) == ["order_shipped", "upcoming_appointment"]
    assert found[0].values == {
        "order_item": "Dachbox Nordlicht 420 L",
        "order_delivery_date": "26.11.2026",
    }
    assert found[1].values == {
        "workshop_name": "Nordlicht Werkstatt München-Mitte",
        "appointment_service": "Inspektion",
        "appointment_date": "02.12.2026",
        "appointment_time": "09:00",
    }


async def test_yilmaz_hears_of_his_open_case_then_his_new_car(profiles) -> None:
    found = select_highlights(profiles["K-100002"], NOW)
    assert kinds(found) == ["open_case", "order_in_production"]
    assert found[0].values == {"case_subject": "Ladekabel defekt", "case_number": "C-9001"}
    assert found[1].values["order_delivery_date"] == "13.02.2027"
    # his service on 09.12.2026 is due soon but ranks third
    assert kinds(select_highlights(profiles["K-100002"], NOW, limit=3))[2] == "service_due_soon"


async def test_wagner_hears_of_the_recall_then_the_overdue_invoice(profiles) -> None:
    found = select_highlights(profiles["K-100003"], NOW)
    assert kinds(found) == ["recall", "overdue_invoice"]
    assert found[0].values == {
        "vehicle": "Aurora Limousine (W-12345A)",
        "campaign_code": "RC-2026-07",
        "recall_title": "Austausch Bremsschlauch vorne",
    }
    assert found[1].values == {
        "invoice_number": "R-20250201",
        "invoice_amount": "1.245,50 €",
        "invoice_due_date": "10.10.2026",
    }
    # the overdue service (01.10.2026) comes third
    assert kinds(select_highlights(profiles["K-100003"], NOW, limit=3))[2] == "service_overdue"


async def test_meier_hears_his_car_is_ready(profiles) -> None:
    found = select_highlights(profiles["K-100004"], NOW)
    assert kinds(found) == ["ready_for_pickup"]  # his closed complaints are not mentioned
    assert found[0].values == {
        "workshop_name": "Nordlicht Werkstatt Zürich",
        "vehicle": "Strato GT (ZH 123456)",
    }


async def test_becker_has_nothing_open(profiles) -> None:
    assert select_highlights(profiles["K-100005"], NOW) == []  # her order was cancelled


async def test_dates_move_things_in_and_out_of_view(profiles) -> None:
    schmidt = profiles["K-100001"]
    # three weeks earlier the appointment on 03.12. is not "soon" yet
    assert kinds(select_highlights(schmidt, datetime(2026, 11, 2, 9, 0), limit=5)) == [
        "order_shipped"
    ]
    # after the due date the open invoice of 05.12. counts as overdue
    later = kinds(select_highlights(schmidt, datetime(2026, 12, 6, 9, 0), limit=5))
    assert "overdue_invoice" in later and "upcoming_appointment" not in later


def _order(status: OrderStatus, delivery: date | None) -> schemas.Order:
    return schemas.Order(
        order_number="B-20259999",
        kind=OrderKind.PART,
        item="Winterräder",
        status=status,
        expected_delivery=delivery,
        carrier_tracking=None,
    )


async def test_orders_without_a_date(profiles) -> None:
    profile = profiles["K-100005"].copy(
        update={
            "orders": [
                _order(OrderStatus.SHIPPED, None),
                _order(OrderStatus.ORDERED, None),
                _order(OrderStatus.DELIVERED, date(2026, 11, 1)),
            ]
        }
    )
    found = select_highlights(profile, NOW, limit=5)
    assert kinds(found) == ["order_shipped_undated"]
    assert found[0].values == {"order_item": "Winterräder"}


async def test_disputed_and_paid_invoices_are_not_mentioned(profiles) -> None:
    invoice = profiles["K-100003"].invoices[0]
    profile = profiles["K-100003"].copy(
        update={
            "recalls": [],
            "vehicles": [],
            "invoices": [
                invoice.copy(update={"status": InvoiceStatus.PAID}),
                invoice.copy(update={"status": InvoiceStatus.DISPUTED, "amount_eur": Decimal("1")}),
            ],
        }
    )
    assert select_highlights(profile, NOW) == []


async def test_an_appointment_of_today_is_mentioned_until_it_begins(profiles) -> None:
    schmidt = profiles["K-100001"]  # Inspektion on Wednesday 02.12.2026 at 09:00
    before = select_highlights(schmidt, datetime(2026, 12, 2, 8, 30), limit=5)
    assert "upcoming_appointment" in kinds(before)
    for now in (datetime(2026, 12, 2, 9, 0), datetime(2026, 12, 2, 18, 0)):
        assert "upcoming_appointment" not in kinds(select_highlights(schmidt, now, limit=5))


async def test_a_passed_delivery_date_is_announced_as_late_not_as_ahead(profiles) -> None:
    schmidt = profiles["K-100001"]  # the roof box was expected on 26.11.2026
    on_the_day = select_highlights(schmidt, datetime(2026, 11, 26, 20, 0), limit=5)
    assert kinds(on_the_day)[0] == "order_shipped"
    late = select_highlights(schmidt, datetime(2026, 11, 27, 9, 0), limit=5)
    assert kinds(late)[0] == "order_shipped_late"
    assert late[0].values["order_delivery_date"] == "26.11.2026"
    yilmaz = profiles["K-100002"]  # his car is expected on 13.02.2027
    delayed = select_highlights(yilmaz, datetime(2027, 2, 14, 9, 0), limit=5)
    assert "order_delayed" in kinds(delayed) and "order_in_production" not in kinds(delayed)


@pytest.mark.parametrize(
    ("now", "kind"),
    [
        (datetime(2026, 12, 31, 23, 59), "service_due_soon"),
        (datetime(2027, 1, 1, 0, 0), "service_overdue"),  # year end
    ],
)
async def test_a_service_due_at_the_year_end_is_overdue_in_the_new_year(
    profiles, now: datetime, kind: str
) -> None:
    wagner = profiles["K-100003"]
    due = [v.copy(update={"next_service_due": date(2026, 12, 31)}) for v in wagner.vehicles]
    profile = wagner.copy(update={"vehicles": due, "recalls": [], "invoices": []})
    assert kinds(select_highlights(profile, now, limit=5)) == [kind] * len(due)


async def test_what_the_answer_of_the_turn_says_the_greeting_leaves_out(profiles) -> None:
    schmidt, meier = profiles["K-100001"], profiles["K-100004"]
    assert kinds(select_highlights(schmidt, NOW)) == ["order_shipped", "upcoming_appointment"]
    assert kinds(select_highlights(schmidt, NOW, answering="order_status")) == [
        "upcoming_appointment"
    ]
    for topic in ("appointment_status", "reschedule_appointment", "cancel_appointment"):
        assert kinds(select_highlights(schmidt, NOW, answering=topic)) == ["order_shipped"]
    # her appointment is an inspection: the service check names it
    assert kinds(select_highlights(schmidt, NOW, answering="service_due")) == ["order_shipped"]
    assert select_highlights(meier, NOW, answering="appointment_status") == []
    assert kinds(select_highlights(meier, NOW, answering="order_status")) == ["ready_for_pickup"]
    # the next highlight moves up into the freed place
    wagner = profiles["K-100003"]
    assert kinds(select_highlights(wagner, NOW, answering="recall_check")) == [
        "overdue_invoice",
        "service_overdue",
    ]
    assert kinds(select_highlights(wagner, NOW, answering="invoice_question")) == [
        "recall",
        "service_overdue",
    ]
    assert kinds(select_highlights(wagner, NOW, answering="service_due")) == [
        "recall",
        "overdue_invoice",
    ]


def test_every_highlight_names_the_personal_topics_that_answer_it() -> None:
    from bot.personalization import _PRIORITY

    assert set(ANSWERED_BY) == set(_PRIORITY)
    assert set().union(*ANSWERED_BY.values()) <= set(PERSONAL_TOPICS)
