"""Security headers of the website pages: a strict Content-Security-Policy and friends.

Pages load scripts, styles, fonts and images only from the bot service itself
(``'self'``), never inline; the only other server a page may talk to is the
Rasa server (socket.io over ``ws(s):`` or long-polling over ``http(s):``).
Bot messages may carry images from any ``https:`` address.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def websocket_origin(http_origin: str) -> str:
    """Return the ``ws(s)://`` origin that belongs to an ``http(s)://`` origin.

    Args:
        http_origin: For example ``http://localhost:5005``.

    Returns:
        For example ``ws://localhost:5005``.

    Raises:
        ValueError: ``http_origin`` is not an http(s) origin.

    """
    parts = urlsplit(http_origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) origin: {http_origin!r}")
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """Return the Content-Security-Policy of every website page.

    Args:
        rasa_url: Origin of the Rasa server the chat widget connects to.

    Returns:
        The header value: no inline scripts or styles, no plugins, no framing,
        forms only to this site, network connections only to this site and Rasa.

    """
    directives = {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' https:",
        "connect-src": f"'self' {rasa_url} {websocket_origin(rasa_url)}",
        "form-action": "'self'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def page_headers(rasa_url: str) -> dict[str, str]:
    """Return the headers every HTML page of the website is sent with.

    Args:
        rasa_url: Origin of the Rasa server the chat widget connects to.

    Returns:
        CSP, no MIME sniffing, no framing, a short referrer, and ``no-store``
        (a logged-in page carries the customer's token).

    """
    return {
        "Content-Security-Policy": content_security_policy(rasa_url),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }
