"""The simulated nationwide run's measures (bench/nationwide.py), on fetch records written here."""

import json

from bench.nationwide import host, in_flight


def _fetches(path, times):
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps({"fetched_at": f"2026-01-01T00:00:{t:02d}Z"}) + "\n" for t in times), "utf-8")


def test_hosts_in_flight_from_first_to_last_fetch(tmp_path):
    runs = tmp_path / "runs" / "sim"
    _fetches(runs / "a" / "fetches.jsonl", [0, 10])
    _fetches(runs / "b" / "fetches.jsonl", [5, 20])
    _fetches(runs / "c" / "fetches.jsonl", [12, 30])  # overlaps b only
    most, mean = in_flight(tmp_path, "sim")
    assert most == 2 and abs(mean - (10 + 15 + 18) / 30) < 1e-9
    assert in_flight(tmp_path, "none") == (0, 0.0)


def test_each_portal_its_own_loopback_host():
    hosts = [host(i) for i in range(1000)]
    assert len(set(hosts)) == 1000 and hosts[0] == "127.0.1.1" and hosts[999] == "127.0.4.250"
