import hashlib
import hmac

import pytest

from bot.chat_sessions import ChatSessionConfigError, ChatSessionSigner

SECRET = "s" * 40


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_issued_session_verifies_and_carries_its_expiry() -> None:
    clock = FakeClock()
    signer = ChatSessionSigner(SECRET, ttl_seconds=600, clock=clock)

    session = signer.issue()

    assert len(session.session_id) == 32
    assert session.expires_at == int(clock.now) + 600
    assert signer.verify(session.session_id, session.session_token)
    assert session.as_dict() == {
        "session_id": session.session_id,
        "session_token": session.session_token,
        "expires_at": session.expires_at,
    }


def test_token_is_hmac_sha256_over_session_id_and_expiry() -> None:
    signer = ChatSessionSigner(SECRET, clock=FakeClock())
    session = signer.issue()

    expected = hmac.new(
        SECRET.encode(), f"v1|{session.session_id}|{session.expires_at}".encode(), hashlib.sha256
    ).hexdigest()
    assert session.session_token == f"v1.{session.expires_at}.{expected}"


def test_sessions_are_random() -> None:
    signer = ChatSessionSigner(SECRET)
    assert len({signer.issue().session_id for _ in range(50)}) == 50


def test_token_expires() -> None:
    clock = FakeClock()
    signer = ChatSessionSigner(SECRET, ttl_seconds=60, clock=clock)
    session = signer.issue()

    clock.now += 59
    assert signer.verify(session.session_id, session.session_token)
    clock.now += 1
    assert not signer.verify(session.session_id, session.session_token)


def test_extending_a_verified_session_keeps_the_id() -> None:
    clock = FakeClock()
    signer = ChatSessionSigner(SECRET, ttl_seconds=60, clock=clock)
    first = signer.issue()
    clock.now += 30

    renewed = signer.issue(first.session_id)

    assert renewed.session_id == first.session_id
    assert renewed.expires_at == first.expires_at + 30


def _rejections(signer: ChatSessionSigner) -> list[tuple[object, object]]:
    victim = signer.issue()
    other = signer.issue()
    _, expiry, signature = victim.session_token.split(".")
    foreign = ChatSessionSigner("f" * 40).issue(victim.session_id)
    return [
        (victim.session_id, None),
        (victim.session_id, ""),
        (victim.session_id, other.session_token),  # token of another session
        (victim.session_id, foreign.session_token),  # signed with another secret
        (victim.session_id, f"v1.{int(expiry) + 9999}.{signature}"),  # extended expiry
        (victim.session_id, f"v1.{expiry}.{'0' * 64}"),  # forged signature
        (victim.session_id, victim.session_token.upper()),
        (victim.session_id.upper(), victim.session_token),
        (victim.session_id + " ", victim.session_token),
        (None, victim.session_token),
        (12345, victim.session_token),
        (victim.session_id, ["not", "a", "string"]),
    ]


def test_tampered_or_foreign_tokens_are_rejected() -> None:
    signer = ChatSessionSigner(SECRET, clock=FakeClock())
    for session_id, token in _rejections(signer):
        assert not signer.verify(session_id, token), (session_id, token)


def test_issue_refuses_ids_it_would_not_issue() -> None:
    with pytest.raises(ValueError):
        ChatSessionSigner(SECRET).issue("../other-room")


def test_from_env_reads_secret_and_ttl() -> None:
    signer = ChatSessionSigner.from_env(
        {"CHAT_SESSION_SECRET": SECRET, "CHAT_SESSION_TTL_SECONDS": "120"}
    )
    session = signer.issue()
    assert signer.verify(session.session_id, session.session_token)
    assert SECRET not in repr(signer)


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"CHAT_SESSION_SECRET": "too-short"},
        {"CHAT_SESSION_SECRET": SECRET, "CHAT_SESSION_TTL_SECONDS": "soon"},
        {"CHAT_SESSION_SECRET": SECRET, "CHAT_SESSION_TTL_SECONDS": "0"},
    ],
)
def test_from_env_fails_loudly_on_bad_settings(environ: dict[str, str]) -> None:
    with pytest.raises(ChatSessionConfigError):
        ChatSessionSigner.from_env(environ)
