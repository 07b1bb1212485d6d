"""The loop breaker's count: misses in a row per question, cleared by any progress."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from bot.dialogue.loop_breaker import (
    Loop,
    Step,
    after_answer,
    after_question_in_between,
    after_value_kept,
    kept_for_another_question,
    progressed,
)
from tests.support.processes import PROJECT_ROOT

FORM = ("test_drive_model", "test_drive_workshop", "requested_slot")


def test_a_miss_counts_for_the_question_asked() -> None:
    assert after_answer(None, "test_drive_workshop", moved_on=False) == Loop(
        "test_drive_workshop", 1
    )
    assert after_answer("test_drive_workshop:1", "test_drive_workshop", moved_on=False) == Loop(
        "test_drive_workshop", 2
    )


def test_the_second_miss_rephrases_and_the_third_hands_over() -> None:
    assert Loop("x", 1).step is Step.ASK
    assert Loop("x", 2).step is Step.REPHRASE
    assert Loop("x", 3).step is Step.HAND_OVER


def test_progress_or_another_question_starts_the_count_afresh() -> None:
    assert after_answer("test_drive_workshop:2", "test_drive_workshop", moved_on=True) is None
    assert after_answer("test_drive_workshop:2", "test_drive_date", moved_on=False) == Loop(
        "test_drive_date", 1
    )
    assert after_answer("test_drive_workshop:2", None, moved_on=False) is None


def test_an_unreadable_slot_value_is_no_loop() -> None:
    for value in (None, "", "x", "x:y", ":2", 3):
        assert Loop.decode(value) is None
    assert Loop.decode(Loop("appointment_start", 2).encode()) == Loop("appointment_start", 2)


def test_progress_is_a_new_value_of_the_form_or_its_question_cleared() -> None:
    before = {"test_drive_model": "Vela e", "requested_slot": "test_drive_workshop"}
    assert progressed(before, [("test_drive_model", "Strato GT")], FORM)  # a correction
    assert progressed(before, [("requested_slot", None)], FORM)  # stopped or done
    assert not progressed(before, [("test_drive_workshop", None)], FORM)  # rejected
    assert not progressed(before, [("test_drive_model", "Vela e")], FORM)  # the same again
    assert not progressed(before, [("handoff_reason", "x")], FORM)  # not the form's
    # extracted, then rejected by the validation: the last value counts
    assert not progressed(
        before, [("test_drive_workshop", "Atlantis"), ("test_drive_workshop", None)], FORM
    )


def _conditions(domain: dict[str, Any]) -> Iterator[str]:
    for variations in domain["responses"].values():
        for variation in variations:
            for condition in variation.get("condition", []):
                if condition["name"] == "dialogue_loop":
                    yield str(condition["value"])


def test_every_form_question_has_its_rephrased_variation_with_buttons() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    rephrased = set(_conditions(domain))
    asked = {slot for form in domain["forms"].values() for slot in form["required_slots"]}
    asked -= {"customer_number"}  # its own question offers a human from the third time on
    assert {f"{slot}:2" for slot in asked} <= rephrased
    for name, variations in domain["responses"].items():
        for variation in variations:
            if _loop_step(variation) == 2 and name.startswith("utter_ask_"):
                payloads = [b["payload"] for b in variation.get("buttons", [])]
                assert "/request_human" in payloads and "abbrechen" in payloads, name


def test_every_open_question_asked_a_second_time_explains_with_an_example() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    asked = {slot for form in domain["forms"].values() for slot in form["required_slots"]}
    asked -= {"customer_number"}  # its own questions: see actions/verification.py
    assert {f"{slot}:1" for slot in asked} <= set(_conditions(domain))
    for name, variations in domain["responses"].items():
        base = next((v for v in variations if not v.get("condition")), {})
        for variation in variations:
            if _loop_step(variation) == 1:
                assert "„" in variation["text"], name  # an example answer, quoted
                assert variation["text"] != base.get("text"), name  # never verbatim
                assert variation.get("buttons") == base.get("buttons"), name  # no human yet


def _loop_step(variation: dict[str, Any]) -> int | None:
    for condition in variation.get("condition", []):
        if condition["name"] == "dialogue_loop":
            return int(str(condition["value"]).rpartition(":")[2])
    return None


def test_a_repeat_after_a_question_in_between_counts_but_never_hands_over() -> None:
    assert after_question_in_between(None, "x") == Loop("x", 1)
    assert after_question_in_between("x:1", "x") == Loop("x", 2)
    assert after_question_in_between("x:2", "x").step is Step.REPHRASE  # type: ignore[union-attr]
    assert after_question_in_between("x:2", None) is None


def test_a_value_kept_for_another_question_asks_again_in_alternating_wordings() -> None:
    loop: object = None
    values = []
    for _ in range(4):
        kept = after_value_kept(loop, "test_drive_workshop")
        loop = kept.encode() if kept is not None else None
        values.append(loop)
    # with its example, plainly, with its example, plainly: never twice the same words
    assert values == ["test_drive_workshop:1", None, "test_drive_workshop:1", None]
    assert after_value_kept("x:2", "x") == Loop("x", 1)  # after the rephrased question
    assert after_value_kept("other:1", "x") == Loop("x", 1)  # another question's count


def test_a_kept_value_is_told_from_an_answer_and_from_the_forms_end() -> None:
    form = ("test_drive_workshop", "test_drive_date", "test_drive_name")
    asked = "test_drive_workshop"
    kept = [("test_drive_date", "am Samstag"), ("test_drive_workshop", None)]
    assert kept_for_another_question({}, kept, asked, form)
    assert not kept_for_another_question({}, [("test_drive_workshop", "berlin")], asked, form)
    assert not kept_for_another_question({}, [*kept, ("requested_slot", None)], asked, form)
    assert not kept_for_another_question({}, [("test_drive_workshop", None)], asked, form)
    same = {"test_drive_date": "am Samstag"}
    assert not kept_for_another_question(same, kept, asked, form)  # nothing new
    assert not kept_for_another_question({}, kept, None, form)
