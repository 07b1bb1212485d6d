"""The agent's side of a live takeover: claim, chat, hand back, resolve.

Coordinates the escalation records (:class:`EscalationService`), the Rasa
conversation (:class:`RasaConversations`) and the CRM history. The database
decides who owns an escalation before anything reaches the customer.
"""

from __future__ import annotations

import logging

from bot.crm.enums import Channel
from bot.crm.schemas import InteractionCreate
from bot.escalation import schemas
from bot.escalation.customer_context import CustomerRecords
from bot.escalation.errors import EscalationConflict, TakeoverFailed
from bot.escalation.messenger_rules import message_tag
from bot.escalation.rasa_conversations import RasaConversations, handback_notice, joined_notice
from bot.escalation.service import EscalationService

logger = logging.getLogger(__name__)

HISTORY_TOPIC = "escalation_resolved"


class LiveChat:
    """What an agent does with an escalation.

    Args:
        service: The escalation records.
        rasa: The Rasa conversations API.
        crm: The CRM (resolutions go into the interaction history).

    """

    def __init__(
        self, service: EscalationService, rasa: RasaConversations, crm: CustomerRecords
    ) -> None:
        self.service = service
        self.rasa = rasa
        self.crm = crm

    def claim(self, escalation_id: int, agent: schemas.AgentRef) -> schemas.EscalationDetail:
        """Claim the escalation and take the live chat over (best effort for the chat)."""
        claimed = self.service.claim(escalation_id, agent.id)
        try:
            self._take_over(claimed, agent)
        except TakeoverFailed as error:
            logger.warning("Escalation %s claimed, live takeover failed: %s", escalation_id, error)
        return self.service.get_escalation(escalation_id)

    def send(
        self, escalation_id: int, agent: schemas.AgentRef, text: str
    ) -> schemas.EscalationDetail:
        """Send the agent's message to the customer and add it to the transcript.

        Raises:
            EscalationConflict: The agent has not claimed the escalation.
            TakeoverFailed: Rasa did not accept the message (nothing is recorded).

        """
        escalation = self.service.owned_by(escalation_id, agent.id)
        if not escalation.takeover_active:
            self._take_over(escalation, agent)
        tag = None
        if escalation.channel == "messenger":
            transcript = self.service.get_escalation(escalation_id).transcript
            tag = message_tag(escalation.channel, transcript, self.service.now())
        self.rasa.send_agent_message(escalation.conversation_id, agent.display_name, text, tag)
        self.service.add_agent_message(escalation_id, agent.id, text)
        return self.service.get_escalation(escalation_id)

    def hand_back(self, escalation_id: int, agent: schemas.AgentRef) -> schemas.EscalationDetail:
        """Let the bot answer the customer again.

        Raises:
            EscalationConflict: The agent has not claimed the escalation.
            TakeoverFailed: Rasa did not accept the hand-back.

        """
        self._hand_back(self.service.owned_by(escalation_id, agent.id), agent)
        return self.service.get_escalation(escalation_id)

    def resolve(
        self, escalation_id: int, agent: schemas.AgentRef, body: schemas.ResolveBody
    ) -> schemas.EscalationDetail:
        """Record the resolution in the CRM history, hand back a taken-over chat, close.

        Raises:
            EscalationConflict: The agent has not claimed the escalation.
            CRMError: The CRM did not take the history entry (nothing is closed).

        """
        escalation = self.service.owned_by(escalation_id, agent.id)
        customer = escalation.customer
        if customer.verified and customer.customer_number:
            summary = f"Kundenservice ({agent.display_name}): {body.resolution}"
            if body.note:
                summary += f" – Notiz: {body.note}"
            self.crm.record_interaction(
                customer.customer_number,
                InteractionCreate(
                    channel=Channel.MESSENGER
                    if escalation.channel == "messenger"
                    else Channel.CHAT,
                    conversation_id=escalation.conversation_id[:100],
                    topic=HISTORY_TOPIC,
                    summary=summary[:500],
                    case_number=None,
                    occurred_at=None,
                ),
            )
        if escalation.takeover_active:
            try:
                self._hand_back(escalation, agent)
            except TakeoverFailed as error:
                logger.warning("Hand-back on resolve failed: %s", error)
        return self.service.resolve(escalation_id, agent.id, body.resolution, body.note)

    def _take_over(self, escalation: schemas.EscalationItem, agent: schemas.AgentRef) -> None:
        if escalation.status != "claimed":
            raise EscalationConflict("claim the escalation first")
        self.rasa.take_over(escalation.conversation_id, agent.display_name)
        self.service.set_takeover(escalation.id, agent.id, True)
        self.service.add_system_line(escalation.id, joined_notice(agent.display_name))

    def _hand_back(self, escalation: schemas.EscalationItem, agent: schemas.AgentRef) -> None:
        self.rasa.hand_back(escalation.conversation_id)
        self.service.set_takeover(escalation.id, agent.id, False)
        self.service.add_system_line(escalation.id, handback_notice())
        try:
            self.rasa.ask_for_rating(escalation.conversation_id)
        except TakeoverFailed as error:
            logger.warning("Rating question after the hand-back not sent: %s", error)
