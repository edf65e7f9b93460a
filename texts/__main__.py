"""``python -m texts``: the same as the ``texts`` command."""

import sys

from texts.cli.main import main

sys.exit(main())
