"""Rasa input/output channels: Facebook Messenger and the website socket.io chat."""
