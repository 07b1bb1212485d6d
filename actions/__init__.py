"""Rasa SDK actions: thin adapters between the dialogue and the ``bot`` package.

The action server imports every module of this package, so actions are split
by journey into small modules.
"""

from bot import log_privacy

# The action server imports this package first: from here on, its logs carry
# no personal data above DEBUG.
log_privacy.install()
