"""The agent desk: the web application agents work escalations in (``/desk``)."""
