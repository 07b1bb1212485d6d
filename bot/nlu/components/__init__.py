"""Custom Rasa NLU components (their code is part of the model fingerprint)."""
