"""Assemble the escalation feature for the bot service (``create_app`` mounts it)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from fastapi import APIRouter, FastAPI
from sqlalchemy.orm import sessionmaker

from bot.chat_sessions import ChatSessionSigner
from bot.clock import Clock, system_clock
from bot.crm.service import CRMService
from bot.escalation.access import AgentAccess
from bot.escalation.agent_admin import AgentAdministration
from bot.escalation.agents import AgentDirectory
from bot.escalation.api import escalation_error_response, escalation_routers
from bot.escalation.attachments import Attachments
from bot.escalation.attachments_api import attachment_routers
from bot.escalation.canned import CannedResponses
from bot.escalation.canned_api import canned_router
from bot.escalation.customer_context import CustomerRecords
from bot.escalation.errors import EscalationError
from bot.escalation.live_chat import LiveChat
from bot.escalation.past_conversations import PastConversations
from bot.escalation.rasa_conversations import RasaConversations
from bot.escalation.remote_files import RemoteFiles
from bot.escalation.roles import Role
from bot.escalation.service import EscalationService
from bot.escalation.session_api import logout_router
from bot.escalation.settings import EscalationSettings
from bot.escalation.tracker_sweeper import TrackerStoreSweeper
from bot.escalation.transfer import Transfers
from bot.escalation.typing import TypingSignals
from bot.escalation.typing_api import typing_router
from bot.escalation.workday_api import workday_router
from bot.settings import Secret

logger = logging.getLogger(__name__)


@dataclass
class EscalationFeature:
    """The escalation service, agents, live chat, routers and the tracker-store sweeper."""

    settings: EscalationSettings
    service: EscalationService
    agents: AgentDirectory
    access: AgentAccess
    live_chat: LiveChat
    routers: list[APIRouter]
    sweeper: TrackerStoreSweeper | None
    typing: TypingSignals = field(default_factory=TypingSignals)
    attachments: Attachments | None = None

    @classmethod
    def create(
        cls,
        settings: EscalationSettings,
        crm: CustomerRecords,
        service_token: Secret,
        clock: Clock = system_clock,
        sessions: sessionmaker | None = None,
        remote_files: RemoteFiles | None = None,
    ) -> EscalationFeature:
        """Build the feature.

        Args:
            settings: The escalation's settings.
            crm: Customer profiles and history (:class:`CustomerRecords`).
            service_token: What the action server presents to the intake.
            clock: The current time (tests inject one).
            sessions: Sessions of the escalation database; by default our
                CRM service's (the tables share its database).
            remote_files: Fetches customers' Messenger files; by default from
                Facebook's CDN hosts in the settings (none: links only).

        Without AGENT_TOKEN_SECRET a random secret is used (logins end with the
        process) and put into :attr:`settings`; ``bot serve`` insists on a
        configured one.

        """
        if not settings.agent_token_secret:
            logger.warning("AGENT_TOKEN_SECRET is not set: agent logins last until a restart")
            settings = replace(settings, agent_token_secret=Secret(secrets.token_urlsafe(32)))
        secret = settings.agent_token_secret
        assert secret is not None
        if sessions is None:
            if not isinstance(crm, CRMService):
                raise TypeError("another CRM needs the escalation database's sessions")
            sessions = crm.session_factory
        past = PastConversations(settings.tracker_store_url) if settings.tracker_store_url else None
        service = EscalationService(sessions, settings, crm.get_profile, clock, past)
        agents = AgentDirectory(sessions, clock)
        live_chat = LiveChat(service, RasaConversations(settings), crm)
        access = AgentAccess(agents, secret)
        routers = escalation_routers(
            live_chat, agents, access, secret, settings.agent_token_ttl_seconds, service_token
        )
        admin = AgentAdministration(sessions, clock)
        transfers = Transfers(sessions, lambda: live_chat.rasa, clock)
        typing = TypingSignals()
        attachments = Attachments(sessions, settings.attachment_limits, clock)
        signer = (
            ChatSessionSigner(settings.chat_session_secret.reveal())
            if settings.chat_session_secret
            else None
        )
        if remote_files is None and settings.messenger_file_hosts:
            remote_files = RemoteFiles(
                settings.messenger_file_hosts, settings.attachment_limits.max_bytes
            )
        routers += attachment_routers(
            attachments,
            access,
            signer,
            service_token,
            settings.attachment_origins,
            remote_files,
        )
        routers += [
            logout_router(admin, access),
            canned_router(
                CannedResponses(sessions, clock),
                service,
                access.agent,
                access.with_role(Role.LEAD),
            ),
            workday_router(service, transfers, admin, access.agent, clock),
            typing_router(service, typing, service_token),
        ]
        sweeper = (
            TrackerStoreSweeper(settings.tracker_store_url, service)
            if settings.tracker_store_url
            else None
        )
        return cls(
            settings, service, agents, access, live_chat, routers, sweeper, typing, attachments
        )

    def install(self, app: FastAPI) -> None:
        """Mount the routers and the error handler."""
        app.add_exception_handler(EscalationError, escalation_error_response)
        for router in self.routers:
            app.include_router(router)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the tracker-store sweeper while the app runs."""
        task = None
        if self.sweeper is not None:
            task = asyncio.create_task(self.sweeper.run_forever(self.settings.sweep_seconds))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if self.sweeper is not None:
                self.sweeper.close()
            if self.service.past is not None:
                self.service.past.close()
            self.live_chat.rasa.close()
