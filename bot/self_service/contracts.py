"""Contracts: rate, term, end date, mileage allowance and what happens at the end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.crm.enums import ContractKind
from bot.crm.schemas import Contract, Vehicle
from bot.dialogue.wording import response_text
from bot.formatting import format_date, format_money
from bot.self_service.replies import Reply
from bot.time_facts import has_passed
from bot.vehicles import vehicle_label

_KIND_NAMES = {
    ContractKind.LEASING: "Leasingvertrag",
    ContractKind.FINANCING: "Finanzierungsvertrag",
    ContractKind.SERVICE: "Servicevertrag",
}


def term_months(start: date, end: date) -> int:
    """Return the term in whole months (01.09.2022 to 31.08.2027: 60)."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months - 1 if after.day < start.day else months


def contract_replies(
    contracts: Sequence[Contract], vehicles: Sequence[Vehicle], today: date
) -> list[Reply]:
    """Describe each running contract, then what happens at its end.

    Args:
        contracts: The customer's contracts, newest first.
        vehicles: The customer's vehicles (to name the contract's car).
        today: Today's date (ended contracts are mentioned briefly).

    Returns:
        Per contract: the facts (with or without mileage allowance) and the
        end-of-contract explanation for its kind; or that there is none.

    """
    if not contracts:
        return [Reply("utter_contract_none")]
    by_vin = {vehicle.vin: vehicle for vehicle in vehicles}
    replies = []
    for contract in contracts:
        values = {
            "contract_kind": _KIND_NAMES[contract.kind],
            "contract_number": contract.contract_number,
            "contract_vehicle": vehicle_label(
                by_vin.get(contract.vehicle_vin or ""),
                response_text("utter_contract_vehicle_unknown"),
            ),
            "contract_rate": format_money(contract.monthly_rate_eur),
            "contract_start": format_date(contract.start_date),
            "contract_end": format_date(contract.end_date),
            "contract_months": str(term_months(contract.start_date, contract.end_date)),
        }
        if has_passed(contract.end_date, today):
            replies.append(Reply("utter_contract_ended", values))
            continue
        if contract.mileage_allowance_km_per_year:
            values["contract_mileage"] = f"{contract.mileage_allowance_km_per_year:,}".replace(
                ",", "."
            )
            replies.append(Reply("utter_contract_details_mileage", values))
        else:
            replies.append(Reply("utter_contract_details", values))
        replies.append(Reply(f"utter_contract_end_{contract.kind.value}", values))
    return replies
