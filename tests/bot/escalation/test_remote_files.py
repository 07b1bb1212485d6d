"""Copying Messenger files from Facebook: only its CDN, only https, no redirects, bounded size.

Facebook's CDN is a real HTTP server on a loopback port; the transport sends
requests for the real addresses there, so the address checks run unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.escalation.remote_files import FetchFailed, RemoteFiles
from bot.escalation.wiring import EscalationFeature
from tests.bot.escalation.conftest import SERVICE_TOKEN, Clock, settings
from tests.bot.escalation.test_api import intake, login
from tests.support.images import png

PHOTO = png(80, 60, (230, 160, 0))
CDN = "https://scontent.xx.fbcdn.net/v/t1.15752-9/470000000_1_n.png?_nc_cat=1&oh=00_AY"


class FakeCdn(BaseHTTPRequestHandler):
    """Facebook's CDN as far as these tests need it."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.endswith("_n.png"):
            self._send(200, PHOTO)
        elif path.endswith("/big.png"):
            self._send(200, PHOTO + b"\0" * 4096)
        elif path.endswith("/chunked.png"):
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(8):
                chunk = b"\0" * 1024
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path.endswith("/moved.png"):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class ToLoopback(httpx.AsyncBaseTransport):
    """Sends every request to the fake CDN; remembers which addresses were asked for."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[str] = []
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(str(request.url))
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return await self._inner.handle_async_request(request)


@pytest.fixture
def cdn() -> Iterator[ToLoopback]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCdn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ToLoopback(server.server_address[1])
    server.shutdown()
    server.server_close()


def files(cdn: ToLoopback, max_bytes: int = 2048) -> RemoteFiles:
    return RemoteFiles(("fbcdn.net", "fbsbx.com"), max_bytes, timeout=5, transport=cdn)


async def test_a_file_on_facebooks_cdn_is_fetched(cdn: ToLoopback) -> None:
    assert await files(cdn).fetch(CDN) == PHOTO
    assert cdn.asked == [CDN]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/v/big.png", "larger than 2048 bytes"),
        ("/v/chunked.png", "larger than 2048 bytes"),
        ("/v/moved.png", "answered 302"),
        ("/v/gone.png", "answered 404"),
    ],
)
async def test_too_large_moved_or_missing_files_are_not_fetched(
    cdn: ToLoopback, path: str, reason: str
) -> None:
    with pytest.raises(FetchFailed, match=reason):
        await files(cdn).fetch(f"https://scontent.xx.fbcdn.net{path}")
    assert len(cdn.asked) == 1  # the redirect is not followed


@pytest.mark.parametrize(
    "url",
    [
        "http://scontent.xx.fbcdn.net/v/x_n.png",
        "https://fbcdn.net.evil.example/v/x_n.png",
        "https://evilfbcdn.net/v/x_n.png",
        "https://user@scontent.xx.fbcdn.net/v/x_n.png",
        "https://127.0.0.1/v/x_n.png",
        "file:///etc/passwd",
    ],
)
async def test_no_other_address_is_ever_asked(cdn: ToLoopback, url: str) -> None:
    with pytest.raises(FetchFailed, match="not an https address on an allowed host"):
        await files(cdn).fetch(url)
    assert cdn.asked == []


def test_a_messenger_photo_is_copied_so_the_agent_keeps_it(crm_service_local, cdn) -> None:
    feature = EscalationFeature.create(
        settings(), crm_service_local, SERVICE_TOKEN, Clock(), remote_files=files(cdn, 64 * 1024)
    )
    app = FastAPI()
    feature.install(app)
    feature.agents.create_agent("keller", "geheim-genug-1", "Frau Keller")
    client = TestClient(app)
    escalation = intake(client, "psid-1", channel="facebook")["escalation_id"]
    service = {"Authorization": f"Bearer {SERVICE_TOKEN.reveal()}"}
    body = {"conversation_id": "psid-1", "kind": "image", "url": CDN, "message_id": "m_1#0"}

    assert client.post("/api/internal/attachments", json=body, headers=service).status_code == 202
    assert client.post("/api/internal/attachments", json=body, headers=service).status_code == 202

    assert cdn.asked == [CDN]  # copied once
    agent = login(client)
    lines = client.get(f"/api/escalations/{escalation}", headers=agent).json()["transcript"]
    [attachment] = [line["attachment"] for line in lines if line["attachment"]]
    assert attachment == {
        "id": attachment["id"],
        "kind": "image",
        "content_type": "image/png",
        "filename": "470000000_1_n.png",
        "size_bytes": len(PHOTO),
        "source": "messenger",
        "url": f"/api/escalations/{escalation}/attachments/{attachment['id']}",
    }
    assert client.get(attachment["url"], headers=agent).content == PHOTO

    # A video stays a link (not copied); so does a file the CDN does not give.
    video = {**body, "kind": "video", "message_id": "m_2#0", "url": CDN.replace(".png", ".mp4")}
    client.post("/api/internal/attachments", json=video, headers=service)
    gone = {**body, "message_id": "m_3#0", "url": "https://scontent.xx.fbcdn.net/v/gone.png"}
    client.post("/api/internal/attachments", json=gone, headers=service)
    lines = client.get(f"/api/escalations/{escalation}", headers=agent).json()["transcript"]
    urls = [line["attachment"]["url"] for line in lines if line["attachment"]][1:]
    assert urls == [video["url"], gone["url"]]
    feature.live_chat.rasa.close()
