import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

# ../shared beside the repository root (a CI clone), or one level up (a git worktree under wt/)
_CANDIDATES = [Path(__file__).resolve().parents[n] / "shared" for n in (3, 4)]
SHARED = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])
