"""Where the package's own files are: its data tables and its report templates.

Every layer reads shipped data (the gazetteer, the lexicons, the outlet table ...) from ``analysis/data/``;
naming the folder once keeps a module's place in the layers independent of where its data lives.
"""
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
DATA_DIR = PACKAGE_DIR / "data"
