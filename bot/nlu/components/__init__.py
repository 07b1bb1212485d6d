"""Custom Rasa NLU components (their code is part of the model fingerprint).

Rasa imports this package in every process that loads or trains our model,
so it is where our patches of Rasa internals get installed (bot.rasa.patches).
"""

from bot.rasa import patches as rasa_patches

rasa_patches.install()
