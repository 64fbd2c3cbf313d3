"""Benchmarks: the cost of every stage of gongkai against the bare libraries it builds on.

``python -m bench [--quick]`` builds a corpus with the project's own generator, measures every
stage and its floor in subprocesses (median of repeats, peak RSS) and writes ``docs/benchmarks.md``.
See ``docs/benchmarks.md`` for the method.
"""
