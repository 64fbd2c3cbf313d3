"""The S3 secret comes from the standard AWS variables (warehouse/objectstore.py); no request here."""

from __future__ import annotations

import re

import pytest

from warehouse.objectstore import ObjectStoreError, bucket_of, secret_options
from warehouse.target import parse_target

KEYS = {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}


def test_aws_itself_needs_only_the_keys():
    assert secret_options({**KEYS, "AWS_DEFAULT_REGION": "cn-north-1"}) == {
        "KEY_ID": "k",
        "SECRET": "s",
        "REGION": "cn-north-1",
    }


def test_an_s3_compatible_endpoint_is_path_style_and_plain_http_when_it_says_so():
    opts = secret_options({**KEYS, "AWS_ENDPOINT_URL": "http://127.0.0.1:8333", "AWS_SESSION_TOKEN": "t"})
    assert opts["ENDPOINT"] == "127.0.0.1:8333" and opts["USE_SSL"] is False and opts["URL_STYLE"] == "path"
    assert opts["SESSION_TOKEN"] == "t" and opts["REGION"] == "us-east-1"
    # the S3-specific variable wins over the general one, as in the AWS SDKs
    both = {**KEYS, "AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "https://s3.example:9000"}
    assert secret_options(both)["ENDPOINT"] == "s3.example:9000" and secret_options(both)["USE_SSL"] is True


@pytest.mark.parametrize(
    "env, message",
    [
        ({"AWS_ACCESS_KEY_ID": "k"}, "needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        ({**KEYS, "AWS_ENDPOINT_URL": "127.0.0.1:8333"}, "is not http(s)://host[:port]"),
    ],
)
def test_settings_that_cannot_work_say_why(env, message):
    with pytest.raises(ObjectStoreError, match=re.escape(message)):
        secret_options(env)


def test_an_s3_lake_data_path_stays_a_url(monkeypatch):
    monkeypatch.setenv("GONGKAI_LAKE_DATA", "s3://bucket/lake/")
    t = parse_target("ducklake:postgres:dbname=lake host=db")
    assert t.remote_data and t.data_path == "s3://bucket/lake" and bucket_of(t.data_path) == "bucket"
    monkeypatch.setenv("GONGKAI_LAKE_DATA", "/srv/lake")
    assert not parse_target("ducklake:postgres:dbname=lake host=db").remote_data
