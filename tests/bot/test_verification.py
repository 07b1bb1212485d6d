import logging
import time

import jwt
import pytest

from bot.crm.errors import CRMAuthError, CRMUnavailable
from bot.customer_tokens import issue_customer_token
from bot.settings import Secret
from bot.verification import (
    MAX_ATTEMPTS,
    Answer,
    Outcome,
    attempts_left,
    check_identity,
    clean_customer_number,
    clean_postal_code,
    customer_number_from_token,
    find_customer_number,
    is_locked,
    read_answer,
    wants_to_stop,
)

SECRET = "v" * 40


@pytest.mark.parametrize("written", ["K-100001", "K100001", "k 100001", "100001", " K–100001 "])
def test_customer_numbers_are_accepted_in_every_spelling(written: str) -> None:
    assert clean_customer_number(written) == "K-100001"


@pytest.mark.parametrize("written", ["10001", "1000011", "B-20250001", "K-10000", "", None, 100001])
def test_malformed_customer_numbers_are_refused(written) -> None:
    assert clean_customer_number(written) is None


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        ("80331", "80331"),
        ("1010", "1010"),
        ("CH-8001", "8001"),
        ("D-80331", "80331"),
        (" 8001 ", "8001"),
    ],
)
def test_postal_codes_are_cleaned(written: str, cleaned: str) -> None:
    assert clean_postal_code(written) == cleaned


@pytest.mark.parametrize("written", ["803", "803311", "München", "", None])
def test_malformed_postal_codes_are_refused(written) -> None:
    assert clean_postal_code(written) is None


def test_entities_come_first() -> None:
    answer = read_answer("egal", customer_numbers=["K100001"], postal_codes=["80331"])
    assert answer == Answer("K100001", "80331", False)


def test_the_text_is_searched_only_when_the_form_asked() -> None:
    text = "meine Kundennummer ist k100002 und die plz 50667"
    assert read_answer(text) == Answer()
    assert read_answer(text, asked="customer_number") == Answer("K-100002", "50667", False)


def test_a_customer_number_is_not_mistaken_for_a_postal_code() -> None:
    assert read_answer("100001", asked="postal_code") == Answer("K-100001", None, False)
    assert find_customer_number("Rechnung R-20250100") is None


def test_digits_that_fit_no_format_make_the_answer_unreadable() -> None:
    assert read_answer("1234567", asked="customer_number").unreadable
    assert not read_answer("weiß ich nicht", asked="customer_number").unreadable
    assert not read_answer("1234567").unreadable


@pytest.mark.parametrize(
    "text", ["abbrechen", "Bitte abbrechen!", "Stopp", "vergiss es", "lassen wir das", "doch nicht"]
)
def test_the_customer_can_stop(text: str) -> None:
    assert wants_to_stop(text)


@pytest.mark.parametrize("text", ["K-100001", "80331", "ja", "", None])
def test_answers_are_no_stop(text) -> None:
    assert not wants_to_stop(text)


def test_three_failures_lock_the_conversation() -> None:
    assert MAX_ATTEMPTS == 3
    assert [attempts_left(n) for n in (0, 1, 2, 3, 4)] == [3, 2, 1, 0, 0]
    assert [is_locked(n) for n in (None, 2.0, 3.0)] == [False, False, True]


async def test_the_right_postal_code_verifies(local_crm) -> None:
    result = await check_identity(local_crm, "K-100001", "80331")
    assert (result.outcome, result.customer_number) == (Outcome.VERIFIED, "K-100001")


async def test_unknown_number_and_wrong_postal_code_look_the_same(local_crm) -> None:
    unknown = await check_identity(local_crm, "K-999998", "80331")
    wrong = await check_identity(local_crm, "K-100001", "80335")
    assert unknown == wrong
    assert unknown.outcome is Outcome.REJECTED and unknown.customer_number is None


class _FailingCRM:
    def __init__(self, error: Exception, delay: float = 0.0) -> None:
        self.error, self.delay = error, delay

    async def verify_customer(self, customer_number: str, postal_code: str):
        import asyncio

        await asyncio.sleep(self.delay)
        raise self.error


@pytest.mark.parametrize("error", [CRMUnavailable("down"), CRMAuthError("bad token")])
async def test_crm_failures_make_the_check_unavailable(error: Exception) -> None:
    result = await check_identity(_FailingCRM(error), "K-100001", "80331")  # type: ignore[arg-type]
    assert result.outcome is Outcome.UNAVAILABLE


async def test_a_slow_crm_is_given_up_within_the_budget() -> None:
    slow = _FailingCRM(CRMUnavailable("late"), delay=5)
    started = time.perf_counter()
    result = await check_identity(slow, "K-100001", "80331", budget=0.2)  # type: ignore[arg-type]
    assert result.outcome is Outcome.UNAVAILABLE
    assert time.perf_counter() - started < 1


def test_a_valid_token_names_the_customer() -> None:
    token = issue_customer_token("K-100003", SECRET)
    assert customer_number_from_token({"customer_token": token}, Secret(SECRET)) == "K-100003"


@pytest.mark.parametrize(
    "metadata",
    [
        {"customer_token": jwt.encode({"sub": "K-100003", "exp": int(time.time()) - 1}, SECRET)},
        {"customer_token": jwt.encode({"sub": "K-100003", "exp": int(time.time()) + 60}, "f" * 40)},
        {"customer_token": "garbage"},
        {"customer_number": "K-100003"},
        {},
        None,
        "customer_token",
    ],
    ids=["expired", "forged", "garbage", "no-token", "empty", "none", "not-a-dict"],
)
def test_anything_but_a_valid_token_is_ignored(metadata) -> None:
    assert customer_number_from_token(metadata, Secret(SECRET)) is None


def test_without_a_secret_no_token_is_trusted(caplog: pytest.LogCaptureFixture) -> None:
    token = issue_customer_token("K-100003", SECRET)
    with caplog.at_level(logging.WARNING):
        assert customer_number_from_token({"customer_token": token}, None) is None
    assert "CUSTOMER_TOKEN_SECRET" in caplog.text


def test_a_forged_token_leaves_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    forged = issue_customer_token("K-100003", "f" * 40)
    with caplog.at_level(logging.WARNING):
        customer_number_from_token({"customer_token": forged}, Secret(SECRET))
    assert "Ignoring customer token" in caplog.text
