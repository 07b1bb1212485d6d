"""``python -m bot.crm.seed [--population N ...]``: same as ``bot seed``."""

import sys

from bot.cli import main

sys.exit(main(["seed", *sys.argv[1:]]))
