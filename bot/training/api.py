"""The training JSON API on the bot service (``/api/training/...``, see docs/training.md).

Trainers (role ``trainer``) work the inbox; every logged-in agent may flag
a customer message of an escalation for the trainers (the desk's flag
button). The dependencies that check who calls are passed in
(``bot.escalation.access``), so this module only knows what each route needs.
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint
# annotations at run time, and closures refer to local names.

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi.responses import PlainTextResponse

from bot.clock import Clock, system_clock
from bot.escalation import schemas as escalation_schemas
from bot.escalation.service import EscalationService
from bot.training import schemas
from bot.training.export import nlu_yaml
from bot.training.inbox import InboxError, Sighting, TrainingInbox
from bot.training.masking import mask_message

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not logged in, or the token expired."},
    403: {"description": "The account lacks the role trainer."},
    404: {"description": "No such inbox item."},
}


def training_router(
    inbox: TrainingInbox,
    escalations: EscalationService,
    *,
    trainer: Callable[..., Any],
    agent: Callable[..., Any],
    names: Callable[[], Any] = frozenset,
    nlu_summary: Path | None = None,
    clock: Clock = system_clock,
) -> APIRouter:
    """Build the training API.

    Args:
        inbox: The inbox.
        escalations: Where flagged messages are looked up.
        trainer: Dependency: the logged-in agent with the role trainer (else 401/403).
        agent: Dependency: any logged-in agent (else 401).
        names: The names to mask in a flagged message (the CRM's).
        nlu_summary: ``reports/nlu/summary.json`` of the last ``make nlu-eval``.
        clock: Current time (injected in tests).

    """
    Trainer = Annotated[escalation_schemas.AgentRef, Depends(trainer)]
    Agent = Annotated[escalation_schemas.AgentRef, Depends(agent)]
    router = APIRouter(prefix="/api/training", tags=["training"], responses=_ERRORS)

    def answer(call: Callable[[], Any]) -> Any:
        try:
            return call()
        except InboxError as error:
            raise HTTPException(error.status_code, detail=str(error)) from None

    @router.get(
        "/inbox",
        summary="The inbox, most often seen first",
        response_model=list[schemas.InboxItemOut],
    )
    def list_inbox(
        _trainer: Trainer,
        status_: Annotated[schemas.Status, Query(alias="status")] = schemas.Status.OPEN,
        reason: schemas.Reason | None = None,
        intent: Annotated[str | None, Query(max_length=60, regex=r"^[a-z_]+$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 500,
    ) -> list[schemas.InboxItemOut]:
        return inbox.list_items(status_, reason, intent, limit)

    @router.get(
        "/inbox/{item_id}/conversation",
        summary="The masked conversation around the item's latest message",
        response_model=schemas.ConversationOut,
    )
    def conversation(item_id: int, _trainer: Trainer) -> schemas.ConversationOut:
        return answer(lambda: inbox.conversation(item_id))  # type: ignore[no-any-return]

    @router.post(
        "/inbox/{item_id}/label",
        summary="Label: intent (out_of_scope marks it out of scope) and entities",
        response_model=schemas.InboxItemOut,
    )
    def label(item_id: int, body: schemas.Label, who: Trainer) -> schemas.InboxItemOut:
        return answer(lambda: inbox.label(item_id, body, who.id))  # type: ignore[no-any-return]

    @router.post(
        "/inbox/{item_id}/ignore",
        summary="Set the item aside (no training example)",
        response_model=schemas.InboxItemOut,
    )
    def ignore(item_id: int, who: Trainer) -> schemas.InboxItemOut:
        return answer(lambda: inbox.ignore(item_id, who.id))  # type: ignore[no-any-return]

    @router.get(
        "/export",
        summary="The labelled items as Rasa NLU training data (YAML)",
        response_class=PlainTextResponse,
        responses={200: {"content": {"application/x-yaml": {}}}},
    )
    def export(_trainer: Trainer) -> PlainTextResponse:
        return PlainTextResponse(
            nlu_yaml(inbox.labelled(), clock()), media_type="application/x-yaml; charset=utf-8"
        )

    @router.get(
        "/intents",
        summary="Per intent: predicted, fell back, open items, test-set accuracy",
        response_model=list[schemas.IntentStats],
    )
    def intents(_trainer: Trainer) -> list[schemas.IntentStats]:
        counts = inbox.intent_counts()
        tested = _test_accuracy(nlu_summary)
        rows = []
        for name in sorted(inbox.intents | set(counts)):
            predicted, fell_back, open_items = counts.get(name, (0, 0, 0))
            accuracy, examples = tested.get(name, (None, 0))
            rows.append(
                schemas.IntentStats(
                    intent=name,
                    predicted=predicted,
                    fell_back=fell_back,
                    open_items=open_items,
                    test_accuracy=accuracy,
                    test_examples=examples,
                )
            )
        return rows

    @router.post(
        "/flag",
        summary="Flag a customer message of an escalation for the trainers (any agent)",
        response_model=schemas.InboxItemOut,
        status_code=status.HTTP_201_CREATED,
    )
    def flag(body: schemas.FlagRequest, who: Agent) -> schemas.InboxItemOut:
        detail = escalations.get_escalation(body.escalation_id)
        said = [
            entry
            for entry in detail.transcript
            if entry.role == "customer" and entry.text == body.text
        ]
        if not said:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                detail="the customer did not write this text in this escalation",
            )
        parsed = [i for i in detail.intents if i.get("text") == body.text]
        predictions = [
            {"intent": str(i["intent"]), "confidence": round(float(i.get("confidence") or 0), 4)}
            for i in parsed[-1:]
            if i.get("intent")
        ]
        digest = hashlib.sha256(body.text.encode("utf-8")).hexdigest()[:16]
        masked = mask_message(body.text, names())
        item_id = inbox.record(
            Sighting(
                event_key=f"flag:{body.escalation_id}:{said[-1].timestamp.timestamp():.6f}:{digest}",
                text=masked,
                reason=schemas.Reason.FLAGGED,
                predictions=predictions,
                conversation_id=detail.conversation_id,
                channel=detail.channel,
                seen_at=said[-1].timestamp,
                context=[
                    {
                        "speaker": "customer" if e.role == "customer" else e.role,
                        "text": mask_message(e.text, names()),
                        "current": e is said[-1],
                    }
                    for e in detail.transcript[-12:]
                ],
            )
        )
        found = inbox.get(item_id) if item_id is not None else inbox.find(masked)
        if found is None:  # cannot happen: a sighting seen before has its item
            raise HTTPException(status.HTTP_409_CONFLICT, detail="flagged already")
        return found

    return router


def _test_accuracy(summary: Path | None) -> dict[str, tuple[float, int]]:
    """Per intent: end-to-end accuracy and examples on the main test set, from nlu-eval."""
    if summary is None:
        return {}
    try:
        figures = json.loads(summary.read_text(encoding="utf-8"))
        per_intent = figures["main"]["per_intent_end_to_end"]
        return {
            str(name): (float(row["accuracy"]), int(row["examples"]))
            for name, row in per_intent.items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}
