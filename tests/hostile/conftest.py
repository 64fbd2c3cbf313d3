from pathlib import Path

import pytest


def shared_corpus() -> Path | None:
    """``shared/corpus`` beside the checkout or one of its parents (worktrees sit one level deeper)."""
    for parent in Path(__file__).resolve().parents[2:5]:
        corpus = parent / "shared" / "corpus"
        if corpus.is_dir():
            return corpus
    return None


@pytest.fixture(scope="session")
def corpus() -> Path:
    found = shared_corpus()
    if found is None:
        pytest.skip("../shared/corpus is not beside this checkout")
    return found
