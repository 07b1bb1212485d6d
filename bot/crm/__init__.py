"""The CRM of Nordlicht Automobile: customers, vehicles, orders, workshops and history.

Layers: ``models`` (tables), ``service`` (intention-revealing operations, the
only place that queries), ``api`` (HTTP), ``client``/``http_client`` (what the
assistant uses to talk to any CRM).
"""
