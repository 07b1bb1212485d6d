"""The website's static files: the chat widget, the vendored socket.io client, site CSS.

Only files that exist when the router is built and have a known type are
served (a fixed allow-list, so no path can reach outside the folder), each with
``X-Content-Type-Options: nosniff``. Vendored libraries sit in versioned
folders and may be cached for good; everything else is revalidated, so a new
widget reaches browsers at once. These files are served in production as well:
other sites embed the widget from the bot service.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
CACHE_VERSIONED = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"


def static_router(directory: Path = STATIC_DIR, prefix: str = "/static") -> APIRouter:
    """Build the router that serves the files under ``directory`` at ``prefix``.

    Args:
        directory: The folder to serve; read once, now.
        prefix: URL path the files appear under.

    Returns:
        A router with one ``GET {prefix}/{path}`` route.

    """
    files = {
        path.relative_to(directory).as_posix(): path
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.suffix in MEDIA_TYPES
    }
    router = APIRouter(prefix=prefix, include_in_schema=False)

    @router.get("/{path:path}")
    def static_file(path: str) -> FileResponse:
        file = files.get(path)
        if file is None:
            raise HTTPException(status_code=404)
        cache = CACHE_VERSIONED if path.startswith("vendor/") else CACHE_REVALIDATE
        return FileResponse(
            file,
            media_type=MEDIA_TYPES[file.suffix],
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": cache},
        )

    return router
