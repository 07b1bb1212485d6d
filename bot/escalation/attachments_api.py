"""Customers' files for the agent: widget upload, desk download, Messenger by reference.

* ``POST /api/chat/attachments``: the website widget sends one file as the
  request body (``Content-Type`` the file's type, ``X-Filename`` its name,
  percent-encoded) with its signed chat session (``X-Chat-Session-Id``,
  ``X-Chat-Session-Token``, issued by the website channel). The conversation
  is the session's: nobody can attach to another customer's chat. 401 without
  a valid session, 413 too large, 415 not an accepted type by content, 409 no
  open escalation (nobody would read it), 429 the escalation has its most
  files already, 201 with the receipt.
* ``GET /api/chat/attachments/limits``: the accepted types and size (public).
* ``GET /api/escalations/{id}/attachments/{attachment_id}``: the file, for
  logged-in agents only, as a download that no browser renders in place.
* ``POST /api/internal/attachments``: the Messenger channel reports an
  attachment (Facebook's address) with the service token; an image or file
  is then copied from Facebook in the background (``bot.escalation.remote_files``).
"""

# No "from __future__ import annotations": FastAPI resolves the endpoint annotations at run time.

import logging
from typing import Annotated, Any
from urllib.parse import quote, unquote

import anyio
from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response, status
from fastapi.responses import JSONResponse

from bot.chat_sessions import ChatSessionSigner
from bot.crm.api import bearer_auth
from bot.escalation import schemas
from bot.escalation.access import AgentAccess
from bot.escalation.attachments import Attachments
from bot.escalation.errors import AttachmentTooLarge, EscalationError
from bot.escalation.remote_files import FetchFailed, RemoteFiles
from bot.settings import Secret

logger = logging.getLogger(__name__)

SESSION_ID_HEADER = "X-Chat-Session-Id"
SESSION_TOKEN_HEADER = "X-Chat-Session-Token"
FILENAME_HEADER = "X-Filename"
_CORS_HEADERS = ", ".join(
    ["Content-Type", SESSION_ID_HEADER, SESSION_TOKEN_HEADER, FILENAME_HEADER]
)
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


async def read_limited(request: Request, max_bytes: int) -> bytes:
    """Read the request body, but never more than ``max_bytes`` (plus one to notice).

    Raises:
        AttachmentTooLarge: The declared or the actual body is larger.

    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AttachmentTooLarge(f"the file is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise AttachmentTooLarge(f"the file is larger than {max_bytes} bytes")
    return bytes(body)


def attachment_routers(
    attachments: Attachments,
    access: AgentAccess,
    signer: ChatSessionSigner | None,
    service_token: Secret,
    origins: tuple[str, ...] = (),
    remote_files: RemoteFiles | None = None,
) -> list[APIRouter]:
    """Build the customer's upload, the agent's download and the Messenger intake.

    Args:
        attachments: The store.
        access: The agents' login check.
        signer: Verifies the widget's chat sessions (None: uploads answer 503).
        service_token: What the Rasa process presents (CRM_API_TOKEN by default).
        origins: Websites allowed to upload across origins (CORS).
        remote_files: Copies Messenger files from Facebook (None: links only).

    """
    limits = attachments.limits
    Agent = Annotated[schemas.AgentRef, Depends(access.agent)]
    chat = APIRouter(prefix="/api/chat/attachments", tags=["website chat"])

    def cors(request: Request) -> dict[str, str]:
        origin = request.headers.get("origin", "")
        if origin and origin in origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    def refusal(request: Request, code: int, error: str, detail: str) -> JSONResponse:
        return JSONResponse(
            status_code=code,
            content={"error": error, "detail": detail, "limits": limits.describe()},
            headers=cors(request),
        )

    @chat.get("/limits", summary="Which files the widget may send")
    def upload_limits(request: Request) -> JSONResponse:
        body = {
            "max_bytes": limits.max_bytes,
            "types": list(limits.types),
            "text": limits.describe(),
        }
        return JSONResponse(body, headers=cors(request))

    @chat.options("", include_in_schema=False)
    def preflight(request: Request) -> Response:
        headers = cors(request)
        if headers:
            headers.update(
                {
                    "Access-Control-Allow-Methods": "POST",
                    "Access-Control-Allow-Headers": _CORS_HEADERS,
                    "Access-Control-Max-Age": "600",
                }
            )
        return Response(status_code=status.HTTP_204_NO_CONTENT, headers=headers)

    @chat.post(
        "",
        summary="Send a file to the agent of this chat",
        status_code=status.HTTP_201_CREATED,
        response_model=schemas.AttachmentReceipt,
        responses={
            401: {"description": "No valid chat session."},
            409: {"description": "No open escalation: nobody would read the file."},
            413: {"description": "Larger than CHAT_ATTACHMENT_MAX_BYTES."},
            415: {"description": "Not an accepted type (checked by the file's content)."},
            429: {"description": "The escalation has CHAT_ATTACHMENT_MAX_PER_ESCALATION files."},
        },
    )
    async def upload(request: Request) -> Response:
        if signer is None:
            return refusal(request, 503, "UploadsDisabled", "CHAT_SESSION_SECRET is not set")
        session_id = request.headers.get(SESSION_ID_HEADER)
        if not signer.verify(session_id, request.headers.get(SESSION_TOKEN_HEADER)):
            return refusal(request, 401, "InvalidChatSession", "no valid chat session")
        assert session_id is not None
        try:
            data = await read_limited(request, limits.max_bytes)
            receipt = attachments.store_upload(
                session_id,
                data,
                request.headers.get("content-type"),
                unquote(request.headers.get(FILENAME_HEADER, ""))[:300],
            )
        except EscalationError as error:
            return refusal(request, error.status_code, type(error).__name__, str(error))
        return JSONResponse(
            status_code=status.HTTP_201_CREATED, content=receipt.dict(), headers=cors(request)
        )

    desk = APIRouter(prefix="/api/escalations", tags=["agent desk"])

    @desk.get(
        "/{escalation_id}/attachments/{attachment_id}",
        summary="A file the customer sent (download)",
        response_class=Response,
        responses={200: {"content": {"application/octet-stream": {}}}},
    )
    def download(escalation_id: int, attachment_id: int, agent: Agent) -> Response:
        stored = attachments.open_file(escalation_id, attachment_id, agent.id)
        headers: dict[str, Any] = {
            **DOWNLOAD_HEADERS,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.filename)}",
        }
        return Response(stored.data, media_type=stored.content_type, headers=headers)

    internal = APIRouter(
        prefix="/api/internal", tags=["action server"], dependencies=[bearer_auth(service_token)]
    )

    @internal.post(
        "/attachments",
        summary="A Messenger attachment for the conversation's open escalation",
        status_code=status.HTTP_202_ACCEPTED,
        response_model=schemas.AttachmentReceipt,
    )
    def messenger_attachment(
        body: schemas.MessengerAttachment, background: BackgroundTasks
    ) -> schemas.AttachmentReceipt:
        receipt = attachments.record_messenger(body)
        if remote_files is not None and body.kind in ("image", "file"):
            url = attachments.pending_copy(receipt.attachment_id)
            if url is not None:
                background.add_task(copy_from_facebook, receipt.attachment_id, url)
        return receipt

    async def copy_from_facebook(attachment_id: int, url: str) -> None:
        assert remote_files is not None
        try:
            data = await remote_files.fetch(url)
            await anyio.to_thread.run_sync(attachments.store_copy, attachment_id, data)
        except (FetchFailed, EscalationError) as error:
            logger.warning("Messenger file %s not copied: %s", attachment_id, error)

    return [chat, desk, internal]
