"""Base classes of the CRM schemas."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel


class Schema(BaseModel):
    """Base of all CRM schemas: immutable; unknown fields of newer servers are ignored."""

    class Config:
        """Pydantic settings."""

        allow_mutation = False
        json_encoders = {Decimal: str}


class Command(Schema):
    """Base of all inputs: unknown fields are rejected."""

    class Config:
        """Pydantic settings."""

        extra = "forbid"
