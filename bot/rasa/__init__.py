"""Our parts of the Rasa server: fail-closed stores, the failure answer, readiness.

Rasa 3.6 falls back silently when its stores fail (an in-memory tracker
store behind every configured one, a start-up loop that swallows a missing
database, buffered events). These modules make a failure visible instead:
the turn is answered with ``utter_technical_problem``, the error is logged,
``/webhooks/health/ready`` says which part is down.
"""
