"""The action server: Rasa SDK's app, reachable only by the Rasa server.

``rasa run actions`` listens on every interface, takes any caller and answers
an exception with the request body in the response. Anyone who reaches the
port can then run ``action_submit_contact_change`` with slots of their choice.
So we start Rasa SDK's own Sanic app (``rasa_sdk.endpoint.create_app``, same
routes and executor) with three changes:

- every route but ``/health`` needs ``Authorization: Bearer <ACTION_SERVER_TOKEN>``
  (compared in constant time); ``endpoints.yml`` makes Rasa send it;
- it listens on ``ACTION_SERVER_HOST`` (default 127.0.0.1), ``ACTION_SERVER_PORT``;
- a failure is answered ``{"error": "internal error"}`` with status 500; the
  log gets the exception, never the request (tracker, slots, message texts).

Run it with ``python -m actions.server``.
"""

from __future__ import annotations

import logging

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.identity_claims import IdentitySigner
from bot.service_auth import bearer_token_matches
from bot.settings import Secret, SettingsError, get_settings

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = "actions"
OPEN_PATHS = frozenset({"/health"})


def create_action_app(token: Secret, package: str = ACTIONS_PACKAGE) -> Sanic:
    """Build Rasa SDK's action server app behind the shared-secret check.

    Args:
        token: ACTION_SERVER_TOKEN; Rasa presents it as a bearer token.
        package: The package the executor loads actions from.

    Returns:
        The Sanic app (routes ``/health``, ``/webhook``, ``/actions``).

    """
    from rasa_sdk.endpoint import create_app

    # No CORS: only the Rasa server calls this app, never a browser.
    app = create_app(package, cors_origins=None)

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if bearer_token_matches(request.headers.get("Authorization"), token.reveal()):
            return None
        logger.warning("Rejected an action server call without a valid token.")
        return response.json({"error": "unauthorized"}, status=401)

    # Replaces rasa_sdk's handler, which echoes the request body.
    @app.exception(Exception)
    async def internal_error(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException) and exception.status_code < 500:
            return response.json({"error": "bad request"}, status=exception.status_code)
        logger.error(
            "Action server request to %s failed: %s",
            request.path,
            type(exception).__name__,
            exc_info=exception,
        )
        return response.json({"error": "internal error"}, status=500)

    return app


def main() -> int:
    """Run the action server on ACTION_SERVER_HOST:ACTION_SERVER_PORT; return the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    try:
        token = settings.require_action_server_token()
        IdentitySigner(settings.identity_claim_secret)  # fail now, not at the first customer
    except SettingsError as error:
        logger.error("%s", error)
        return 2
    app = create_action_app(token)
    host, port = settings.action_server_host, settings.action_server_port
    logger.info("Action server listening on http://%s:%s", host, port)
    app.run(host=host, port=port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
