"""Rasa SDK actions: thin adapters between the dialogue and the ``bot`` package.

The action server imports every module of this package, so actions are split
by journey into small modules.
"""
