"""Escalation to a human agent: the context package, the queue, agents and the takeover."""
