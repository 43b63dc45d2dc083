"""Entry point: `python -m etl load|validate|status|show|history ...`."""

import sys

from etl.cli import main

sys.exit(main())
