"""Declarative base and column helpers shared by all CRM tables."""

from __future__ import annotations

from enum import Enum as PyEnum

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import declarative_base

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def enum_column_type(enum: type[PyEnum], name: str) -> Enum:
    """Return a portable enum column type that stores the enum *values*.

    Args:
        enum: The Python enum.
        name: Name of the CHECK constraint.
    """
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
