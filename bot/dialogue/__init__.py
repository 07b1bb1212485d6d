"""The dialogue contract shared by every form: names, the form policy, choices."""
