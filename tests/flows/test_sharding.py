"""How nationwide splits a registry into shards (flows.nationwide.shard_hosts)."""

from types import SimpleNamespace

from flows.collect import by_host
from flows.nationwide import shard_hosts


def _sources(*pairs):
    return [SimpleNamespace(id=sid, start_urls=[url]) for sid, url in pairs]


def test_a_host_is_never_split_and_the_shards_do_not_depend_on_the_order():
    pairs = [
        ("a1", "http://a.gov.cn/x"),
        ("b1", "http://b.gov.cn/"),
        ("a2", "https://a.gov.cn/y"),
        ("c1", "http://c.gov.cn:8080/"),
        ("c2", "http://c.gov.cn/"),
        ("d1", "http://d.gov.cn/"),
    ]
    sources, hosts = by_host(_sources(*pairs))
    shards = shard_hosts(sources, hosts, 2)
    assert shards == [["a1", "a2", "b1"], ["c2", "c1"], ["d1"]]  # c.gov.cn:8080 is another host than c.gov.cn
    assert sorted(sid for s in shards for sid in s) == sorted(sid for sid, _ in pairs)
    again, hosts2 = by_host(_sources(*reversed(pairs)))
    assert [sorted(s) for s in shard_hosts(again, hosts2, 2)] == [sorted(s) for s in shards]
    assert shard_hosts(sources, hosts, 100) == [[sid for s in shards for sid in s]]
    assert len(shard_hosts(sources, hosts, 0)) == 5  # at least one host per shard
