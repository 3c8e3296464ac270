"""The frozen app's entry script (build.spec): the same `merchant-desk` command as the wheel's.

PyInstaller needs a script file; `ui/__main__.py` cannot be it because as a script it would
run outside the `ui` package.
"""

import sys

from ui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
