"""The self-service journeys' rules, free of any dialogue framework.

Each module decides *what* to answer for one topic (orders, invoices,
contracts, contact data, cases, dealers, account help, data privacy) from
CRM records and the customer's words. The answers are :class:`Reply` items:
the name of a ``domain.yml`` response plus its values, already formatted as
customers read them (27.11.2026, 1.234,56 €).
"""
