from __future__ import annotations

import pytest

from bot.identity_claims import IdentitySigner
from bot.settings import Secret, SettingsError

SIGNER = IdentitySigner(Secret("identity-claim-secret-for-unit-tests-0123"))


def test_a_claim_holds_for_its_conversation_and_customer_only() -> None:
    claim = SIGNER.sign("conv-1", "K-100001")
    assert SIGNER.verify(claim, "conv-1", "K-100001")
    assert not SIGNER.verify(claim, "conv-2", "K-100001")
    assert not SIGNER.verify(claim, "conv-1", "K-100002")


def test_another_key_or_garbage_is_no_claim() -> None:
    other = IdentitySigner(Secret("another-identity-claim-secret-0123456789"))
    claim = other.sign("conv-1", "K-100001")
    for forged in [claim, None, "", "v1.", "v1." + "0" * 64, 42, claim.upper()]:
        assert not SIGNER.verify(forged, "conv-1", "K-100001")


def test_a_missing_or_short_key_fails_loudly() -> None:
    with pytest.raises(SettingsError):
        IdentitySigner(None)
    with pytest.raises(SettingsError):
        IdentitySigner(Secret("short"))
    assert "identity-claim-secret" not in repr(SIGNER)
