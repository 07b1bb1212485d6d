"""Rasa input/output channels: Facebook Messenger and the website socket.io chat."""

from bot import log_privacy

# The Rasa server imports its channels (credentials.yml) before it handles a
# message: from here on, its logs carry no personal data above DEBUG.
log_privacy.install()
