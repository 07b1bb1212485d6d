"""Who is this customer? Verification by customer number and postal code, or by token.

The rules of the identity check, free of any dialogue framework:

* what a customer's answer contains (customer number, postal code, a wish
  to stop), whatever the NLU made of it;
* how many failed attempts a conversation allows (the CRM also counts them
  per customer number across all conversations and locks the number);
* the check against the CRM, with the CRM's failures translated into an
  outcome, so that an unknown number and a wrong postal code look the same;
* the customer number a signed customer token vouches for.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.budget import ANSWER_BUDGET_SECONDS, within_budget
from bot.crm.client import CRMClient
from bot.crm.errors import CRMError, CRMValidationError
from bot.crm.identifiers import normalize_customer_number, normalize_postal_code
from bot.customer_tokens import verify_customer_token
from bot.dialogue.form_policy import says_stop
from bot.settings import Secret

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
"""Failed checks after which a conversation allows no further attempt."""

CUSTOMER_TOKEN_KEY = "customer_token"
"""Key of the signed customer token in the message metadata."""

_CUSTOMER_NUMBER_IN_TEXT = re.compile(r"(?<![\w-])(K\s?[-–]?\s?)?(\d{6})(?![\d\w])", re.IGNORECASE)
_POSTAL_CODE_IN_TEXT = re.compile(
    r"(?<![\w-])(?:(?:D|DE|A|AT|CH)\s?-\s?)?(\d{4,5})(?![\d\w])", re.IGNORECASE
)
_POSTAL_CODE = re.compile(r"^\d{4,5}$")
_DIGIT = re.compile(r"\d")


class Outcome(enum.Enum):
    """Result of an identity check against the CRM."""

    VERIFIED = "verified"
    REJECTED = "rejected"
    """Unknown number or wrong postal code: deliberately indistinguishable."""
    UNAVAILABLE = "unavailable"
    LOCKED = "locked"
    """Too many failed checks for this customer number, from any conversation: not checked."""


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a check and, when verified, the canonical customer number."""

    outcome: Outcome
    customer_number: str | None = None


@dataclass(frozen=True)
class Answer:
    """What a customer's message contributes to the verification.

    Attributes:
        customer_number: A customer number (as written) or None.
        postal_code: A postal code (as written) or None.
        unreadable: The customer answered the question with something that is
            neither (digits that fit no format), so the answer is to be refused.

    """

    customer_number: str | None = None
    postal_code: str | None = None
    unreadable: bool = False


def read_answer(
    text: str,
    *,
    customer_numbers: Sequence[str] = (),
    postal_codes: Sequence[str] = (),
    asked: str | None = None,
) -> Answer:
    """Read customer number and postal code from a message.

    Entities found by the NLU come first; the text itself is searched only
    when the form has asked a question (``asked``), so that a message that
    merely starts the verification is never mined for numbers.

    Args:
        text: The message text.
        customer_numbers: Values of the ``customer_number`` entity.
        postal_codes: Values of the ``postal_code`` entity.
        asked: The slot the form asked for (``customer_number`` or
            ``postal_code``), or None.

    Returns:
        The values found (as written, not yet normalised).

    """
    number = customer_numbers[0] if customer_numbers else None
    postal_code = postal_codes[0] if postal_codes else None
    if asked is not None:
        if number is None:
            number = find_customer_number(text)
        if postal_code is None:
            postal_code = find_postal_code(_CUSTOMER_NUMBER_IN_TEXT.sub(" ", text))
    unreadable = (
        asked is not None and number is None and postal_code is None and bool(_DIGIT.search(text))
    )
    return Answer(number, postal_code, unreadable)


def find_customer_number(text: str) -> str | None:
    """Return the first customer number in ``text`` in canonical form (``K-100001``)."""
    match = _CUSTOMER_NUMBER_IN_TEXT.search(text)
    return normalize_customer_number(match.group(0)) if match else None


def find_postal_code(text: str) -> str | None:
    """Return the first four- or five-digit postal code in ``text``."""
    match = _POSTAL_CODE_IN_TEXT.search(text)
    return match.group(1) if match else None


def clean_customer_number(raw: Any) -> str | None:
    """Return the canonical customer number for what was extracted, or None when malformed."""
    if not isinstance(raw, str):
        return None
    return normalize_customer_number(raw) or find_customer_number(raw)


def clean_postal_code(raw: Any) -> str | None:
    """Return the postal code without prefix and spaces, or None when malformed."""
    if not isinstance(raw, str):
        return None
    code = normalize_postal_code(raw)
    return code if _POSTAL_CODE.match(code) else None


def wants_to_stop(text: str | None) -> bool:
    """Tell whether the customer wants to stop the verification ("abbrechen")."""
    return says_stop(text)


def attempts_left(failures: float | None) -> int:
    """Return how many checks the conversation still allows."""
    return max(0, MAX_ATTEMPTS - int(failures or 0))


def is_locked(failures: float | None) -> bool:
    """Tell whether the conversation allows no further check."""
    return attempts_left(failures) == 0


async def check_identity(
    crm: CRMClient,
    customer_number: str,
    postal_code: str,
    budget: float = ANSWER_BUDGET_SECONDS,
) -> CheckResult:
    """Check a customer number against the postal code on file.

    Args:
        crm: The CRM.
        customer_number: Canonical customer number.
        postal_code: Postal code as cleaned by :func:`clean_postal_code`.
        budget: Seconds the check may take before the CRM counts as unavailable.

    Returns:
        VERIFIED with the canonical number, REJECTED (unknown number and wrong
        postal code alike), LOCKED when the CRM refuses to check the number
        after too many failures, or UNAVAILABLE when the CRM failed or was
        too slow.

    """
    try:
        result = await within_budget(crm.verify_customer(customer_number, postal_code), budget)
    except CRMValidationError:
        return CheckResult(Outcome.REJECTED)
    except CRMError as error:
        logger.warning("Identity check failed, CRM unavailable: %s", error)
        return CheckResult(Outcome.UNAVAILABLE)
    if result.verified and result.customer_number:
        return CheckResult(Outcome.VERIFIED, result.customer_number)
    if result.locked_until is not None:
        return CheckResult(Outcome.LOCKED)
    return CheckResult(Outcome.REJECTED)


def customer_number_from_token(metadata: Any, secret: Secret | None) -> str | None:
    """Return the customer number a signed token in the message metadata vouches for.

    Expired, forged or malformed tokens are ignored with a log line (by
    :func:`bot.customer_tokens.verify_customer_token`); without a configured
    secret no token is trusted.

    Args:
        metadata: The metadata of a message (any JSON value).
        secret: CUSTOMER_TOKEN_SECRET.

    Returns:
        The canonical customer number, or None.

    """
    if not isinstance(metadata, Mapping):
        return None
    token = metadata.get(CUSTOMER_TOKEN_KEY)
    if not token:
        return None
    if not secret:
        logger.warning("Ignoring customer token: CUSTOMER_TOKEN_SECRET is not set")
        return None
    return verify_customer_token(token, secret.reveal())
