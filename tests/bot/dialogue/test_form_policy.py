from __future__ import annotations

from bot.dialogue.form_policy import FormPolicy, Turn, corrects, says_stop, yes_or_no
from bot.dialogue.intents import LEAVING, SMALL_TALK

JOURNEY = FormPolicy(
    stop_response="utter_form_stopped",
    yes_no_slots=frozenset({"confirmed"}),
    free_text_slots=frozenset({"description"}),
)
APPOINTMENT = FormPolicy(stop_response="utter_appointment_stopped", no_stops=False)
VERIFICATION = FormPolicy(
    stop_response="utter_verification_stopped",
    leaving=LEAVING | SMALL_TALK,
    digressions=frozenset(),
)


def turn(text: str, intent: str | None = "inform", asked: str | None = "city", **entities: str):
    return Turn(intent, text, {k: [v] for k, v in entities.items()}, asked)


def test_abbrechen_stops_every_form_while_a_question_is_open() -> None:
    for policy in (JOURNEY, APPOINTMENT, VERIFICATION):
        assert policy.wants_to_stop(turn("abbrechen bitte"))
        assert not policy.wants_to_stop(turn("abbrechen bitte", asked=None))


def test_nein_stops_only_where_no_yes_no_question_is_open() -> None:
    assert JOURNEY.wants_to_stop(turn("nein", "deny"))
    assert not JOURNEY.wants_to_stop(turn("nein", "deny", asked="confirmed"))
    assert VERIFICATION.wants_to_stop(turn("nein", "deny", asked="customer_number"))
    assert not APPOINTMENT.wants_to_stop(turn("nein", "deny", asked="appointment_workshop"))


def test_a_long_free_text_answer_is_no_stop_even_with_doch_nicht() -> None:
    text = "Die Klimaanlage funktioniert doch nicht, seit zwei Wochen schon nicht mehr"
    assert says_stop(text)
    assert not JOURNEY.wants_to_stop(turn(text, "complaint", asked="description"))
    assert JOURNEY.wants_to_stop(turn("doch nicht", "inform", asked="description"))
    assert JOURNEY.wants_to_stop(turn(text, "complaint", asked="city"))  # not a free-text question


def test_a_wish_to_leave_is_never_an_answer() -> None:
    for policy in (JOURNEY, APPOINTMENT, VERIFICATION):
        assert not policy.reads_values(turn("ich will einen Menschen", "request_human"))
    assert JOURNEY.answer(turn("Mensch bitte", "request_human"), "city") is None


def test_a_short_question_in_between_is_a_digression_a_long_message_an_answer() -> None:
    assert JOURNEY.is_interruption(turn("wo ist meine Bestellung", "order_status"))
    long = "meine Bestellung vom letzten Monat ist beschädigt angekommen und der Lack zerkratzt"
    assert not JOURNEY.is_interruption(turn(long, "order_status"))
    assert JOURNEY.answer(turn("Köln"), "city") == "Köln"
    assert JOURNEY.answer(turn("Köln"), "street") is None  # another question is open


def test_at_a_free_text_question_only_questions_about_the_assistant_interrupt() -> None:
    asked = "description"
    assert JOURNEY.answer(turn("Bestellung kaputt", "order_status", asked=asked), asked)
    assert JOURNEY.answer(turn("bist du ein bot", "bot_challenge", asked=asked), asked) is None


def test_small_talk_is_no_identity() -> None:
    assert not VERIFICATION.reads_values(turn("du bist doof", "express_frustration"))
    assert VERIFICATION.reads_values(turn("K-100001", "inform"))


def test_yes_and_no_by_intent_or_by_word() -> None:
    assert yes_or_no(turn("passt!", None)) is True
    assert yes_or_no(turn("jo", "affirm")) is True
    assert yes_or_no(turn("Nee.", None)) is False
    assert yes_or_no(turn("vielleicht", "inform")) is None


def test_a_named_value_corrects_instead_of_answering() -> None:
    assert corrects(turn("nein, lieber in Köln", "deny", city="Köln"), ["city"])
    assert corrects(turn("nein, um 11", "deny"), ["city"], names_a_time=True)
    assert not corrects(turn("nein", "deny"), ["city"])
