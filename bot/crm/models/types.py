"""Column types of our own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")


class Money(TypeDecorator):
    """Exact euro amounts as ``Decimal``, never float.

    NUMERIC(12, 2) on PostgreSQL; SQLite has no exact decimal type (it would
    store a float), so there the amount is kept as integer cents.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        """Use integer cents on SQLite, NUMERIC elsewhere."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(12, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Check that the amount has at most two decimals and convert it for storage."""
        if value is None:
            return None
        amount = Decimal(value)
        if amount != amount.quantize(CENT):
            raise ValueError(f"money amount {value!r} has more than two decimals")
        return int(amount * 100) if dialect.name == "sqlite" else amount.quantize(CENT)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Return the stored amount as a Decimal with two places."""
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(value) / 100).quantize(CENT)
        return Decimal(value).quantize(CENT)
