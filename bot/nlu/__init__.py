"""NLU building blocks: the German spaCy pipeline and custom Rasa components."""
