"""What the demo website shows and whom its fake login accepts.

The demo website stands in for the company website. Its login is fake: a
visitor picks one of the fixture customers of the CRM demo data (K-100001 to
K-100005) and is "logged in" - the bot service signs a customer token for
them (``bot.customer_tokens``) and keeps it in an HttpOnly cookie, and every
page hands the token to the chat widget. A production website issues the token
from its own, real login instead (see docs/website-widget.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.clock import network_today
from bot.crm.seed.demo import DemoData, load_demo_data
from bot.customer_tokens import DEFAULT_TTL_SECONDS, issue_customer_token, verify_customer_token
from bot.settings import Secret

LOGIN_COOKIE = "nordlicht_demo_login"


@dataclass(frozen=True)
class DemoCustomer:
    """A fixture customer one can log in as."""

    customer_number: str
    display_name: str


@dataclass(frozen=True)
class Workshop:
    """A workshop as the service page lists it."""

    name: str
    address: str
    phone: str
    hours: str


@dataclass(frozen=True)
class DemoContent:
    """Everything the demo pages show that comes from the CRM demo data."""

    customers: tuple[DemoCustomer, ...]
    workshops: tuple[Workshop, ...]
    breakdown_hotline: str

    @classmethod
    def from_demo_data(cls, data: DemoData | None = None) -> DemoContent:
        """Build the content from the CRM demo file.

        Args:
            data: The demo data; read from ``bot/crm/seed_data`` by default.

        Returns:
            The fixture customers, workshops and hotline of the demo data.

        """
        data = data or load_demo_data(network_today())
        return cls(
            customers=tuple(
                DemoCustomer(c.customer_number, f"{c.salutation} {c.first_name} {c.last_name}")
                for c in data.customers
            ),
            workshops=tuple(
                Workshop(w.name, f"{w.street}, {w.postal_code} {w.city}", w.phone, w.hours_display)
                for w in data.workshops
            ),
            breakdown_hotline=data.service_contacts["breakdown_hotline"],
        )


class DemoLogin:
    """Signs customer tokens for fixture customers and reads them back from the cookie."""

    def __init__(
        self,
        customers: tuple[DemoCustomer, ...],
        secret: Secret,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
    ) -> None:
        """Create the login.

        Args:
            customers: The only customers one may log in as.
            secret: CUSTOMER_TOKEN_SECRET, the key the assistant verifies tokens with.
            ttl_seconds: Lifetime of a token and its cookie.

        """
        self._customers: Mapping[str, DemoCustomer] = {c.customer_number: c for c in customers}
        self._secret = secret
        self.ttl_seconds = ttl_seconds

    def log_in(self, customer_number: str) -> str | None:
        """Return a fresh customer token, or ``None`` for anyone but a fixture customer.

        Args:
            customer_number: The customer number chosen in the login form.

        """
        if customer_number not in self._customers:
            return None
        return issue_customer_token(customer_number, self._secret.reveal(), self.ttl_seconds)

    def customer(self, token: str | None) -> DemoCustomer | None:
        """Return the fixture customer a valid token belongs to, else ``None``.

        Args:
            token: The cookie value (``None`` when there is no cookie).

        """
        if not token:
            return None
        number = verify_customer_token(token, self._secret.reveal())
        return self._customers.get(number) if number else None
