"""Word lists and small rules the generated population draws from."""

from __future__ import annotations

import random
import unicodedata

from bot.crm.enums import CaseKind, Channel, Country, OrderKind

MODELS = [
    ("Aurora Limousine", "AUL"),
    ("Aurora Touring", "AUT"),
    ("Vela e", "VEL"),
    ("Strato GT", "STR"),
    ("Borealis SUV", "BRL"),  # VINs have no I, O or Q
]

ITEMS = {
    OrderKind.VEHICLE: [
        "Vela e Long Range",
        "Aurora Touring Hybrid",
        "Borealis SUV 4x4",
        "Strato GT",
    ],
    OrderKind.PART: [
        "Wischerblätter vorne",
        "Bremsbeläge hinten",
        "Innenraumfilter",
        "Ladekabel Typ 2",
    ],
    OrderKind.ACCESSORY: [
        "Dachbox Nordlicht 420 L",
        "Fahrradträger",
        "Winterkompletträder 18 Zoll",
        "Allwetter-Fußmatten",
        "Anhängerkupplung",
    ],
}

INVOICE_SUBJECTS = [
    "Inspektion",
    "Ölwechsel",
    "Reifenwechsel mit Einlagerung",
    "Reparatur Bremsen",
    "Austausch Windschutzscheibe",
    "Klimaservice",
    "Zubehör",
]

CASE_SUBJECTS = {
    CaseKind.COMPLAINT: [
        "Lange Wartezeit in der Werkstatt",
        "Fahrzeug nicht gereinigt",
        "Geräusch Fahrwerk",
    ],
    CaseKind.WARRANTY: ["Ladekabel defekt", "Infotainment startet neu", "Fensterheber klemmt"],
    CaseKind.BREAKDOWN: ["Panne auf der Autobahn", "Batterie leer", "Reifenpanne"],
    CaseKind.PRIVACY: ["Auskunft über gespeicherte Daten", "Werbeeinwilligung widerrufen"],
    CaseKind.INVOICE_DISPUTE: ["Rechnungsbetrag zu hoch", "Leistung doppelt berechnet"],
    CaseKind.GENERAL: ["Frage zur Ausstattung", "Rückruf erbeten"],
}

SERVICES = [
    "Inspektion",
    "Ölwechsel",
    "Reifenwechsel",
    "Bremsen prüfen",
    "Klimaservice",
    "Hauptuntersuchung",
]

TOPICS = [
    ("order_status", "Frage zum Lieferstatus"),
    ("invoice_question", "Rückfrage zur Rechnung"),
    ("book_appointment", "Werkstatttermin vereinbart"),
    ("service_due", "Erinnerung an fällige Inspektion"),
    ("contract_info", "Frage zum Vertrag"),
    ("test_drive", "Probefahrt vereinbart"),
    ("dealer_info", "Frage nach Öffnungszeiten"),
    ("recall_check", "Frage zu Rückrufaktionen"),
    ("account_help", "Hilfe beim Kundenkonto"),
    ("feedback", "Lob für die Beratung"),
]

CHANNELS = [
    Channel.PHONE,
    Channel.EMAIL,
    Channel.CHAT,
    Channel.WEBSITE,
    Channel.DEALERSHIP,
    Channel.WORKSHOP,
]
CHANNEL_WEIGHTS = [30, 25, 15, 10, 10, 10]

_DE_DISTRICTS = ["M", "B", "K", "HH", "F", "S", "D", "N", "L", "DO"]
_AT_DISTRICTS = ["W", "G", "L", "S", "I", "K"]
_CH_CANTONS = ["ZH", "BE", "LU", "AG", "SG", "BS", "GE", "VD"]
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def plate(country: Country, rng: random.Random) -> str:
    """Return a plausible licence plate of ``country``."""
    if country is Country.DE:
        letters = "".join(rng.choices(_LETTERS, k=rng.randint(1, 2)))
        return f"{rng.choice(_DE_DISTRICTS)}-{letters} {rng.randint(1, 9999)}"
    if country is Country.AT:
        return f"{rng.choice(_AT_DISTRICTS)}-{rng.randint(100, 99999)}{rng.choice(_LETTERS)}"
    return f"{rng.choice(_CH_CANTONS)} {rng.randint(1000, 999999)}"


def preferred_workshop(country: Country, postal_code: str) -> str:
    """Return the code of the workshop a customer at ``postal_code`` is likely to use."""
    if country is Country.AT:
        return "wien"
    if country is Country.CH:
        return "zuerich"
    if postal_code[:1] in "89":
        return "muenchen-mitte"
    if postal_code[:1] in "3456":
        return "koeln"
    return "berlin"


def email_address(first: str, last: str, index: int, country: Country) -> str:
    """Return a unique address at the reserved example domain of ``country``."""
    return f"{_ascii_name(first)}.{_ascii_name(last)}.{index}@example.{country.value.lower()}"


def _ascii_name(name: str) -> str:
    """Return a name as plain lower-case ASCII ("Jürgen" -> "juergen")."""
    spelled = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    plain = unicodedata.normalize("NFKD", spelled.replace("ß", "ss")).encode("ascii", "ignore")
    return "".join(char for char in plain.decode() if char.isalnum())
