import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # lets the tests import crawl_scenario
    sys.path.insert(0, str(HERE))
