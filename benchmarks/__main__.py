"""``python -m benchmarks``: run every benchmark and regenerate the README section."""

import sys

from benchmarks.run import main

sys.exit(main())
