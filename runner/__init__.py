"""Running the work, below the CLI and the flows: the one supervised child process per parse
(``supervisor``), what ``/proc`` says about it (``proctree``), parsing through it (``parse``: the
CLI, the flows, the bench), progress reporting for long commands (``progress``: the CLI, the flows
and the warehouse commands), the scheduler of crawl and parse futures (``lanes``: the flows) and the
crash tests' pause points (``testpause``: the flows). It imports ``pipeline`` only; ``gongkai``,
``flows`` and ``warehouse`` may import it without a cycle (the layers contract in pyproject.toml)."""
