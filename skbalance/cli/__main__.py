"""``python -m skbalance.cli``: the ``skbalance`` command."""

import sys

from . import main

sys.exit(main())
