"""Nordlicht Automobile customer-service assistant: the domain package."""
