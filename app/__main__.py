"""``python -m app`` does what the ``zhutui`` console script does."""

import sys

from app.cli import main

sys.exit(main())
