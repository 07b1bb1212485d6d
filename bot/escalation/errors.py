"""The escalation service's own exceptions (the API maps them to HTTP statuses)."""

from __future__ import annotations


class EscalationError(Exception):
    """Base class of escalation failures."""

    status_code = 500


class EscalationStoreUnavailable(EscalationError):
    """The escalation database failed (the API answers 503; the detail goes to the log)."""

    status_code = 503


class EscalationNotFound(EscalationError):
    """No escalation with that id (or for that conversation)."""

    status_code = 404


class EscalationConflict(EscalationError):
    """The escalation is not in a state that allows the action (e.g. claimed by another agent)."""

    status_code = 409


class AgentExists(EscalationError):
    """An agent with that username exists already."""

    status_code = 409


class TakeoverFailed(EscalationError):
    """Rasa did not accept the takeover, message or hand-back."""

    status_code = 502


class LoginThrottled(EscalationError):
    """Too many failed logins for this account or from this address; try again later.

    Attributes:
        retry_after_seconds: When a new attempt will be checked.

    """

    status_code = 429

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("too many failed logins; try again later")
        self.retry_after_seconds = retry_after_seconds


class AttachmentTooLarge(EscalationError):
    """The customer's file is larger than the configured limit."""

    status_code = 413


class AttachmentTypeRefused(EscalationError):
    """The customer's file is not of an accepted type (checked by its content)."""

    status_code = 415


class NoAgentForAttachment(EscalationError):
    """The conversation has no open escalation: nobody would read the file."""

    status_code = 409


class TooManyAttachments(EscalationError):
    """The escalation has taken as many files as it may."""

    status_code = 429
