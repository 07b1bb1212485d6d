"""The workbench page at ``/training`` (static files; the work happens through the JSON API)."""
