"""The trainers' workbench: an inbox of real messages the model did not understand."""
