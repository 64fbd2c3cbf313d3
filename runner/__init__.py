"""Running the work, below the CLI and the flows: the one supervised child process per parse
(``supervisor``), what ``/proc`` says about it (``proctree``), parsing through it (``parse``: the
CLI, the flows, the bench), and progress reporting for long commands (``progress``: the CLI, the
flows and the warehouse commands). It imports ``pipeline`` only; ``gongkai``, ``flows`` and
``warehouse`` may import it without a cycle."""
