"""Help with the customer portal and the app: which question it is."""

from __future__ import annotations

import re
from enum import Enum

from bot.self_service.replies import read_choice


class AccountTopic(str, Enum):
    """The account questions we answer (entity ``account_topic``).

    The answer is the response ``utter_account_<value>``.
    """

    PASSWORD = "password"
    CONNECT_CAR = "connect_car"
    LOGIN = "login"


_KEYWORDS = (
    (
        AccountTopic.PASSWORD,
        re.compile(r"passwort|kennwort|password|zurücksetz|zuruecksetz|vergessen"),
    ),
    (
        AccountTopic.CONNECT_CAR,
        re.compile(
            r"verbind|koppel|qr|hinzufüg|hinzufueg|taucht nicht|fehlt"
            r"|auto .*app|app .*(auto|fahrzeug|wagen)"
        ),
    ),
    (AccountTopic.LOGIN, re.compile(r"login|log ?in|anmeld|einlogg|registr|konto|zugang|portal")),
)


def read_account_topic(entity: str | None, text: str | None) -> AccountTopic | None:
    """Return the topic from the button's entity, else from keywords, else None (ask)."""
    return read_choice(AccountTopic, _KEYWORDS, entity, text)
