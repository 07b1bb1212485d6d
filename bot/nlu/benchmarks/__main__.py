"""``python -m bot.nlu.benchmarks``: see ``bot.nlu.benchmarks.run``."""

import sys

from bot.nlu.benchmarks.run import main

sys.exit(main())
