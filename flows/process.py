"""Process: convert + parse every stored document once per parser version.

The ``parse`` task is cached by ``parse-<sha256>-<parser version>`` with its result persisted, so a
retried flow run, or next week's run, gets the result back without parsing the bytes again. A
document that fails raises DocumentFailed: the failure is recorded (``DATA/parsed/``, the
warehouse's ``parse_failures``) but never cached, so the next run tries it again.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from flows import runfiles
from runner import claim
from flows.limits import THREADS
from flows.prefect_env import results_dir
from runner.testpause import pause
from pipeline.record import PARSER_VERSION
from runner.lanes import ParseLane, drain
from runner.parse import ParseKilled, failed, run_parse
from runner.supervisor import warm


class DocumentFailed(RuntimeError):
    """A document that cannot be parsed; not cached, so the next run tries it again."""

    def __init__(self, result: dict):
        super().__init__(f"{result['sha256'][:12]}: {result.get('error')}")
        self.result = result

    def __reduce__(self):  # Prefect may persist the exception of a failed task run
        return type(self), (self.result,)


def _key(sha256: str, images: dict[str, str] | None) -> str:
    if not images:
        return f"parse-{sha256}-{PARSER_VERSION}"
    # a page read with its images: the result also depends on which images (their store paths name their sha256)
    digest = hashlib.sha256(repr(sorted((s, Path(p).name) for s, p in images.items())).encode()).hexdigest()[:16]
    return f"parse-{sha256}-{digest}-{PARSER_VERSION}"


def cache_key(context, parameters) -> str:
    return _key(parameters["sha256"], parameters.get("images"))


_SHARED_LOCK = threading.Lock()
_SHARED: set[str] = set()  # sha256 whose result this process took from another worker's parse
_HELD: dict[str, claim.Claim] = {}  # claim file -> the claim this process holds, until the result is saved


def _took_shared(sha256: str) -> bool:
    with _SHARED_LOCK:
        if sha256 in _SHARED:
            _SHARED.discard(sha256)
            return True
        return False


def _transient(task, task_run, state) -> bool:
    try:
        state.result()
    except ParseKilled:
        return True
    except BaseException:  # noqa: BLE001 - any other failure is not worth a retry; Prefect keeps the state
        return False
    return False


@task(
    name="parse",
    cache_key_fn=cache_key,
    persist_result=True,
    retries=1,
    retry_delay_seconds=5,
    retry_condition_fn=_transient,
    task_run_name="parse-{sha256:.12}",
)
def parse_document(
    sha256: str,
    path: str,
    name: str,
    timeout_s: float = 600.0,
    ledger: str | None = None,
    run_id: str | None = None,
    images: dict[str, str] | None = None,
    cache_dir: str | None = None,
) -> dict:
    """The parse result of one stored document (cached by content); raises DocumentFailed. ``images``:
    the stored images of a page whose report is images, by their ``src``. ``cache_dir``: the shared
    ``DATA/parsed/``; the parse then runs under a claim there (runner/claim.py), so a worker that meets
    the same bytes meanwhile waits and takes this result instead of parsing them again."""
    if cache_dir is None:
        result = _parse(sha256, path, name, timeout_s, ledger, run_id, images)
    else:
        result = _parse_claimed(Path(cache_dir), sha256, path, name, timeout_s, ledger, run_id, images)
    if result["status"] != "ok":
        raise DocumentFailed(result)
    return result


def _parse(sha256, path, name, timeout_s, ledger, run_id, images) -> dict:
    pause("parse")  # inert unless GONGKAI_TEST_PAUSE asks (the crash tests)
    return run_parse(path, name, sha256, timeout_s=timeout_s, ledger=ledger, run_id=run_id, images=images)


def _parse_claimed(cache: Path, sha256, path, name, timeout_s, ledger, run_id, images) -> dict:
    """Parse under the claim of the cache key, or take the result another worker wrote while this task
    ran (it waited for that worker's claim). A result file older than the task is not taken: Prefect's
    cache missed, so the bytes are parsed again as they always were (a torn cached result, say). The
    claim of a parse stays held after the task: the lane lets it go once it has saved the result
    (``release_claim``), i.e. after Prefect persisted its cached result, so a result file on disk
    always has its cached result beside it, also when the worker is killed in between."""
    target = parsed_path(cache.parent, sha256)
    before = claim.signature(target)
    where = str(cache / f"{_key(sha256, images)}.claim")
    with _SHARED_LOCK:
        mine = _HELD.get(where)  # a retry of this task (ParseKilled) holds it already
    if mine is None:
        mine = claim.take(Path(where))
        with _SHARED_LOCK:
            _HELD[where] = mine
    now = claim.signature(target)
    shared = runfiles.read_json(target) if now is not None and now != before else None
    if shared is None:
        return _parse(sha256, path, name, timeout_s, ledger, run_id, images)
    with _SHARED_LOCK:
        _SHARED.add(sha256)
    release_claim(cache, sha256, images)
    return dict(shared)


def release_claim(cache: Path, sha256: str, images: dict[str, str] | None = None) -> None:
    """Let the parse claim of this document go (held by this process, else nothing to do)."""
    with _SHARED_LOCK:
        mine = _HELD.pop(str(Path(cache) / f"{_key(sha256, images)}.claim"), None)
    if mine is not None:
        claim.release(mine)


def parsed_path(data: Path, sha256: str, version: str = PARSER_VERSION) -> Path:
    return Path(data) / "parsed" / f"{sha256}.{version}.json"


def ledger_path(data: Path) -> Path:
    """``DATA/parsed/parses.jsonl``: one line per parse actually run (sha256, status, seconds, pid, run)."""
    return Path(data) / "parsed" / "parses.jsonl"


def save_result(data: Path, result: dict, cached: bool = False) -> None:
    """``DATA/parsed/<sha256>.<version>.json`` (the loader's input) after every parse; a result from the
    cache is written only when the file is missing (it was written when the bytes were parsed)."""
    path = parsed_path(data, result["sha256"], result.get("parser_version") or PARSER_VERSION)
    if cached and path.exists():
        return
    runfiles.write_json(path, result)


def outcome_of(fut, sha256: str) -> tuple[dict, bool]:
    """(parse result, came from the cache) of a finished parse future."""
    fut.wait()  # sets the final state (``fut.state`` before that asks the API, which may lag)
    state = fut.state
    try:
        result = fut.result()
    except DocumentFailed as exc:
        _took_shared(sha256)  # a failure is never counted as cached: the next run tries it again
        return exc.result, False
    except BaseException as exc:  # noqa: BLE001 - a crashed task is a failed document, recorded
        return failed(sha256, f"{type(exc).__name__}: {exc}"[:500], "internal"), False
    return result, state.name == "Cached" or _took_shared(sha256)


def parse_task(data: Path):
    """The parse task with its results (the cache) under ``DATA/prefect-results``."""
    return parse_document.with_options(result_storage=results_dir(data))


def parse_lane(task, data: Path, run_id: str, timeout_s: float, in_flight: int) -> ParseLane:
    """A lane of parse tasks (``task``: ``parse_task(data)``) for the stored documents under ``data``,
    each result saved (``save_result``) as its parse finishes."""
    data = Path(data)

    def submit(d: dict):
        images = {src: str(data / p) for src, p in (d.get("images") or {}).items()} or None
        return task.submit(
            d["sha256"],
            str(data / d["store_path"]),
            d.get("filename") or "",
            timeout_s=timeout_s,
            ledger=str(ledger_path(data)),
            run_id=run_id,
            images=images,
            cache_dir=str(data / "parsed"),
        )

    def settle(sha256: str, fut) -> tuple[dict, bool]:
        result, cached = outcome_of(fut, sha256)
        save_result(data, result, cached)
        # the parse's claim goes once its result is on disk (and Prefect's cached result beside it)
        release_claim(data / "parsed", sha256, lane.documents[sha256].get("images") or None)
        return result, cached

    lane = ParseLane(submit, settle, in_flight)
    return lane


def parse_all(run_id: str, data: Path, documents: list[dict], timeout_s: float = 600.0) -> dict:
    """Parse the documents (one task per sha256, one per task-runner thread in flight) in the current flow run."""
    lane = parse_lane(parse_task(data), data, run_id, timeout_s, in_flight=THREADS)
    lane.add(documents)
    drain([lane])
    return lane.summary()


@flow(name="process", task_runner=ThreadPoolTaskRunner(max_workers=THREADS), log_prints=True)  # type: ignore[arg-type]  # prefect 3.8's stubs
def process(run_id: str, data_dir: str = "data", parse_timeout_s: float = 600.0) -> dict:
    """Parse (again) the documents of an earlier run, e.g. after a parser upgrade; ``load`` then loads them."""
    logger = get_run_logger()
    data = Path(data_dir).resolve()
    manifest = runfiles.read_manifest(data, run_id)
    documents = []
    for s in manifest["sources"]:
        years = runfiles.wanted_years(s.get("years"), manifest.get("years"))
        documents += runfiles.documents_of(data, run_id, s["id"], years)
    warm()
    summary = parse_all(run_id, data, documents, parse_timeout_s)
    logger.info(
        "run %s: %d documents, %d parsed now, %d from the cache, %d failed",
        run_id,
        summary["documents"],
        summary["parsed_now"],
        summary["cached"],
        summary["parse_failed"],
    )
    return summary
