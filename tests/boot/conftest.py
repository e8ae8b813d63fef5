"""Lets the boot tests import septa_boot from this folder."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
