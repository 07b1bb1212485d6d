from datetime import date, datetime

from bot.crm.enums import CaseKind, CasePriority, CaseStatus, Country, Tier
from bot.crm.schemas import Case, Customer
from bot.self_service.account import AccountTopic, read_account_topic
from bot.self_service.cases import (
    complaint_handoff_reason,
    describes_what_happened,
    since_phrase,
    subject_from,
)
from bot.self_service.dealers import Place, read_place
from bot.self_service.privacy import PrivacyRequest, read_privacy_request
from bot.self_service.test_drive import read_contact, read_model, read_name


def customer(tier: Tier) -> Customer:
    return Customer(
        customer_number="K-1",
        salutation="Herr",
        first_name="Lukas",
        last_name="Meier",
        email="l@example.ch",
        phone="+41 44 1112233",
        street="Bahnhofstrasse 1",
        postal_code="8001",
        city="Zürich",
        country=Country.CH,
        customer_since=date(2019, 6, 30),
        tier=tier,
    )


NOISE = Case(
    case_number="C-8801",
    kind=CaseKind.COMPLAINT,
    subject="Geräusch Fahrwerk",
    description="",
    status=CaseStatus.CLOSED,
    priority=CasePriority.NORMAL,
    opened_at=datetime(2026, 6, 2),
)


def test_which_complaints_go_to_a_human_at_once() -> None:
    again = "Das Fahrwerk macht schon wieder Geräusche"
    assert complaint_handoff_reason(customer(Tier.STANDARD), again, [NOISE]) == "complaint_repeated"
    assert complaint_handoff_reason(customer(Tier.PLATINUM), again, [NOISE]) == "complaint_repeated"
    other = "Der Lack hat Kratzer"
    assert complaint_handoff_reason(customer(Tier.GOLD), other, [NOISE]) == "complaint_vip"
    assert complaint_handoff_reason(customer(Tier.STANDARD), other, [NOISE]) is None


def test_case_subject_is_short() -> None:
    subject = subject_from("Wort " * 40, "Reklamation")
    assert subject.startswith("Reklamation: Wort") and len(subject) <= 90 and subject.endswith("…")


def test_privacy_account_and_place_readers() -> None:
    assert read_privacy_request(None, "Löschen Sie bitte meine Daten") is PrivacyRequest.DELETION
    assert read_privacy_request(None, "Ich will keine Werbung mehr") is PrivacyRequest.OBJECTION
    assert read_privacy_request("copy", "") is PrivacyRequest.COPY
    assert read_privacy_request(None, "Datenschutz") is None
    assert read_account_topic(None, "Passwort vergessen") is AccountTopic.PASSWORD
    assert read_account_topic(None, "Wie verbinde ich mein Auto mit der App?") is (
        AccountTopic.CONNECT_CAR
    )
    assert read_account_topic(None, "Ich komme nicht ins Portal") is AccountTopic.LOGIN
    assert read_account_topic(None, "Frage") is None
    # an entity that is no choice (a tampered button) falls back to the words
    assert read_privacy_request("everything", "Bitte löschen") is PrivacyRequest.DELETION
    assert read_account_topic("root", "Frage") is None
    assert read_place("80331") == Place(postal_code="80331")
    assert read_place("in Köln") == Place(city="Köln")
    assert read_place("Wo ist die nächste Werkstatt?") is None


def test_test_drive_readers() -> None:
    assert read_model("den neuen Kombi") == "Aurora Touring"
    assert read_model("Strato GT bitte") == "Strato GT"
    assert read_model("einen Traktor") is None
    assert read_contact("max@example.de") == {"email": "max@example.de"}
    assert read_contact("0171 1234567") == {"phone": "0171 1234567"}
    assert read_name("Ich heiße Max Muster") == "Max Muster"
    assert read_name("12345") is None


def test_since_phrase() -> None:
    assert since_phrase("Es klappert seit gestern beim Bremsen") == "seit gestern"
    assert since_phrase("seit zwei Wochen leuchtet die Lampe") == "seit zwei Wochen"
    assert since_phrase("Seit dem 10.11. klemmt die Tür") == "seit dem 10.11."
    assert since_phrase("Die Tür klemmt") is None


def test_a_request_that_names_what_is_broken_describes_what_happened() -> None:
    assert describes_what_happened("Garantiefall melden, die Klimaanlage ist kaputt")
    assert describes_what_happened("Das Navi geht nicht mehr")
    assert not describes_what_happened("Ich möchte einen Garantiefall melden")
    assert not describes_what_happened("kaputt")  # too short to say what
