"""What an account of the agent desk may do besides working escalations."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Role(str, Enum):
    """A role of a desk account; every account can work the desk."""

    AGENT = "agent"
    LEAD = "lead"
    TRAINER = "trainer"
    PRIVACY = "privacy"


DEFAULT_ROLES: tuple[Role, ...] = (Role.AGENT,)


def parse_roles(names: Iterable[str]) -> tuple[Role, ...]:
    """Return the roles named (duplicates dropped, order kept).

    Raises:
        ValueError: A name is not a role.

    """
    roles: list[Role] = []
    for name in names:
        try:
            role = Role(name.strip().lower())
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise ValueError(f"unknown role {name!r} (known: {known})") from None
        if role not in roles:
            roles.append(role)
    return tuple(roles) or DEFAULT_ROLES


def stored_roles(roles: Iterable[Role]) -> str:
    """Return the column value for roles ("agent,lead")."""
    return ",".join(role.value for role in roles)


def loaded_roles(column: str | None) -> list[str]:
    """Return the role names of a column value (unknown names are dropped)."""
    known = {role.value for role in Role}
    names = [name for name in (column or "").split(",") if name in known]
    return names or [role.value for role in DEFAULT_ROLES]
