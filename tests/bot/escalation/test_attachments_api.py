"""Customers' files in process: the widget's upload, the agent's download, Messenger's reference."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.chat_sessions import ChatSessionSigner
from bot.escalation.attachment_files import AttachmentLimits
from bot.escalation.models import EscalationAttachment
from tests.bot.escalation.conftest import SERVICE_TOKEN, settings
from tests.bot.escalation.test_api import intake, login
from tests.support.images import jpeg_header, pdf, png

CHAT_SECRET = "chat-session-secret-0123456789abcdef012345"
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN.reveal()}"}
MAX_BYTES = 64 * 1024
SITE = "https://www.nordlicht.example"


@pytest.fixture
def signer() -> ChatSessionSigner:
    return ChatSessionSigner(CHAT_SECRET)


@pytest.fixture
def client(crm_service_local, clock, rasa) -> TestClient:
    from bot.escalation.wiring import EscalationFeature
    from bot.settings import Secret

    feature = EscalationFeature.create(
        settings(
            chat_session_secret=Secret(CHAT_SECRET),
            attachment_limits=AttachmentLimits(max_bytes=MAX_BYTES, max_per_escalation=3),
            attachment_origins=(SITE,),
        ),
        crm_service_local,
        SERVICE_TOKEN,
        clock,
    )
    app = FastAPI()
    feature.install(app)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    return TestClient(app)


def session_headers(session) -> dict[str, str]:
    return {
        "X-Chat-Session-Id": session.session_id,
        "X-Chat-Session-Token": session.session_token,
    }


def upload(client, session, data: bytes, content_type: str, name: str = "warnleuchte.png"):
    return client.post(
        "/api/chat/attachments",
        content=data,
        headers={
            **session_headers(session),
            "Content-Type": content_type,
            "X-Filename": quote(name),
        },
    )


def test_a_customer_sends_an_image_and_only_agents_can_open_it(client, signer) -> None:
    session = signer.issue()
    escalation = intake(client, session.session_id)["escalation_id"]
    image = png()

    response = upload(client, session, image, "image/png", "Warnleuchte Armaturenbrett.png")

    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["escalation_id"] == escalation
    assert receipt["kind"] == "image"
    assert receipt["filename"] == "Warnleuchte Armaturenbrett.png"
    assert receipt["size_bytes"] == len(image)
    assert receipt["taken_over"] is False

    agent = login(client)
    detail = client.get(f"/api/escalations/{escalation}", headers=agent).json()
    line = detail["transcript"][-1]
    assert line["role"] == "customer"
    assert line["text"] == "Bild gesendet: Warnleuchte Armaturenbrett.png (1 KB)"
    path = f"/api/escalations/{escalation}/attachments/{receipt['attachment_id']}"
    assert line["attachment"] == {
        "id": receipt["attachment_id"],
        "kind": "image",
        "content_type": "image/png",
        "filename": "Warnleuchte Armaturenbrett.png",
        "size_bytes": len(image),
        "source": "upload",
        "url": path,
    }
    assert "Nachtrag des Kunden: Bild gesendet" in detail["summary"]

    download = client.get(path, headers=agent)
    assert download.status_code == 200
    assert download.content == image
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in download.headers["content-security-policy"]
    assert download.headers["cache-control"] == "private, no-store"

    # Not for customers (their session is no agent login), nor anonymous, nor via another case.
    assert client.get(path).status_code == 401
    assert client.get(path, headers=session_headers(session)).status_code == 401
    other = intake(client, "conv-other")["escalation_id"]
    wrong_case = f"/api/escalations/{other}/attachments/{receipt['attachment_id']}"
    assert client.get(wrong_case, headers=agent).status_code == 404


def test_a_pdf_is_accepted_and_a_jpeg_declared_as_png_is_refused(client, signer) -> None:
    session = signer.issue()
    intake(client, session.session_id)
    response = upload(client, session, pdf(), "application/pdf", "../../etc/Rechnung.PDF")
    assert response.status_code == 201
    assert response.json()["kind"] == "file"
    assert response.json()["filename"] == "Rechnung.pdf"

    assert upload(client, session, jpeg_header(), "image/jpeg", "a.jpg").status_code == 201
    mismatch = upload(client, session, jpeg_header(), "image/png")
    assert mismatch.status_code == 415
    assert mismatch.json()["limits"] == "JPEG, PNG, PDF bis 64 KB"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "image/png"),
        (b"<html><script>alert(1)</script></html>", "text/html"),
        (b"GIF89a" + b"\x00" * 40, "image/gif"),
        (b"MZ\x90\x00" + b"\x00" * 40, "application/octet-stream"),
        (b"", "image/png"),
    ],
)
def test_files_that_are_not_jpeg_png_or_pdf_by_content_get_415(
    client, signer, data: bytes, content_type: str
) -> None:
    session = signer.issue()
    intake(client, session.session_id)
    response = upload(client, session, data, content_type)
    assert response.status_code == 415
    assert response.json()["error"] == "AttachmentTypeRefused"


def test_a_file_over_the_limit_gets_413_and_nothing_is_stored(
    client, signer, crm_service_local
) -> None:
    session = signer.issue()
    escalation = intake(client, session.session_id)["escalation_id"]
    too_big = png() + b"\x00" * MAX_BYTES
    response = upload(client, session, too_big, "image/png")
    assert response.status_code == 413
    assert response.json() == {
        "error": "AttachmentTooLarge",
        "detail": f"the file is larger than {MAX_BYTES} bytes",
        "limits": "JPEG, PNG, PDF bis 64 KB",
    }
    with crm_service_local.session_factory() as db:
        assert db.query(EscalationAttachment).count() == 0
    transcript = client.get(f"/api/escalations/{escalation}", headers=login(client)).json()
    assert not any(line["attachment"] for line in transcript["transcript"])


def test_only_a_valid_session_may_upload_and_only_to_its_own_conversation(client, signer) -> None:
    victim, attacker = signer.issue(), signer.issue()
    intake(client, victim.session_id)
    image = png()

    forged = type(victim)(victim.session_id, attacker.session_token, attacker.expires_at)
    assert upload(client, forged, image, "image/png").status_code == 401
    foreign = ChatSessionSigner("another-secret-0123456789abcdef0123456789").issue(
        victim.session_id
    )
    assert upload(client, foreign, image, "image/png").status_code == 401
    no_session = client.post("/api/chat/attachments", content=image)
    assert no_session.status_code == 401
    assert no_session.json()["error"] == "InvalidChatSession"

    # The attacker's own, valid session reaches only the attacker's conversation: no escalation.
    refused = upload(client, attacker, image, "image/png")
    assert refused.status_code == 409
    assert refused.json()["error"] == "NoAgentForAttachment"


def test_one_escalation_takes_a_limited_number_of_files(client, signer) -> None:
    session = signer.issue()
    intake(client, session.session_id)
    assert [upload(client, session, png(), "image/png").status_code for _ in range(3)] == [201] * 3
    refused = upload(client, session, png(), "image/png")
    assert refused.status_code == 429
    assert refused.json()["error"] == "TooManyAttachments"


def test_limits_come_from_the_environment_and_bad_values_fail_loudly() -> None:
    from bot.escalation.settings import EscalationSettings
    from bot.settings import SettingsError

    limits = EscalationSettings.from_env(
        {
            "CHAT_ATTACHMENT_MAX_BYTES": "2097152",
            "CHAT_ATTACHMENT_TYPES": "image/jpeg, image/png",
            "CHAT_ATTACHMENT_MAX_PER_ESCALATION": "5",
        }
    ).attachment_limits
    assert limits == AttachmentLimits(2097152, ("image/jpeg", "image/png"), 5)
    assert limits.describe() == "JPEG, PNG bis 2 MB"
    for bad in (
        {"CHAT_ATTACHMENT_MAX_BYTES": "5MB"},
        {"CHAT_ATTACHMENT_MAX_BYTES": "0"},
        {"CHAT_ATTACHMENT_TYPES": "image/svg+xml"},
    ):
        with pytest.raises(SettingsError):
            EscalationSettings.from_env(bad)


def test_limits_are_public_and_listed_sites_may_upload_across_origins(client, signer) -> None:
    limits = client.get("/api/chat/attachments/limits", headers={"Origin": SITE})
    assert limits.json() == {
        "max_bytes": MAX_BYTES,
        "types": ["image/jpeg", "image/png", "application/pdf"],
        "text": "JPEG, PNG, PDF bis 64 KB",
    }
    assert limits.headers["access-control-allow-origin"] == SITE
    preflight = client.options("/api/chat/attachments", headers={"Origin": SITE})
    assert preflight.status_code == 204
    assert "X-Chat-Session-Token" in preflight.headers["access-control-allow-headers"]
    stranger = client.options("/api/chat/attachments", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger.headers


def test_a_messenger_attachment_is_kept_by_reference_once(client) -> None:
    escalation = intake(client, "psid-4711", channel="facebook")["escalation_id"]
    body = {
        "conversation_id": "psid-4711",
        "kind": "image",
        "url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/warnleuchte.jpg?_nc_cat=1",
        "message_id": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8f#0",
        "timestamp": 1_795_000_100.0,
    }
    first = client.post("/api/internal/attachments", json=body, headers=SERVICE)
    again = client.post("/api/internal/attachments", json=body, headers=SERVICE)
    assert first.status_code == again.status_code == 202
    assert first.json()["attachment_id"] == again.json()["attachment_id"]

    agent = login(client)
    lines = client.get(f"/api/escalations/{escalation}", headers=agent).json()["transcript"]
    sent = [line for line in lines if line["attachment"]]
    assert len(sent) == 1
    assert sent[0]["text"] == "Bild über Messenger gesendet"
    assert sent[0]["attachment"]["source"] == "messenger"
    assert sent[0]["attachment"]["url"] == body["url"]
    # Facebook keeps the file: there is nothing to download here.
    path = f"/api/escalations/{escalation}/attachments/{first.json()['attachment_id']}"
    assert client.get(path, headers=agent).status_code == 404

    assert (
        client.post(
            "/api/internal/attachments",
            json={**body, "conversation_id": "psid-none"},
            headers=SERVICE,
        ).status_code
        == 409
    )
    assert client.post("/api/internal/attachments", json=body).status_code == 401
    insecure = {**body, "url": "http://example.com/x.jpg"}
    assert (
        client.post("/api/internal/attachments", json=insecure, headers=SERVICE).status_code == 422
    )
