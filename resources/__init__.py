"""Files the app ships with (the icon), read through `importlib.resources`.

A package rather than a folder next to the code so that the same lookup works from a
source checkout, an installed wheel and the PyInstaller bundle (build.spec collects these
files into `resources/` inside the bundle, where the frozen importer serves them).
"""

ICON_PNG = "merchant-desk.png"
