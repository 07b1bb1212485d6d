"""The dialogue contract: names of slots, responses and intent groups, the form policy, choices.

One name, one meaning, one place: the actions, the escalation sweeper and the
takeover import these names instead of writing the strings again.

* :mod:`bot.dialogue.slots` - slot and form names.
* :mod:`bot.dialogue.responses` - the responses more than one module utters.
* :mod:`bot.dialogue.intents` - intent groups (leaving, digressions, yes/no).
* :mod:`bot.dialogue.form_policy` - stop, interruption, digression,
  correction and yes/no, the same for every form.
* :mod:`bot.dialogue.choices` - which offered option a typed answer picks.
"""
