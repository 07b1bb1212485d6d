"""J-B's personal journeys for :data:`actions.journeys.JOURNEYS`: records, cases, contact data."""

from __future__ import annotations

from actions.cases import serve_complaint, serve_data_privacy, serve_warranty_claim
from actions.contact_change import serve_change_address
from actions.contracts import serve_contract_info
from actions.invoices import serve_invoice_question
from actions.orders import serve_order_status

RECORD_JOURNEYS = {
    "order_status": serve_order_status,
    "invoice_question": serve_invoice_question,
    "contract_info": serve_contract_info,
    "change_address": serve_change_address,
    "complaint": serve_complaint,
    "warranty_claim": serve_warranty_claim,
    "data_privacy": serve_data_privacy,
}
"""Topic -> journey, served after verification by ``action_resume_request``."""
