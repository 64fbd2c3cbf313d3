"""Running parses: the one supervised child process per parse (``supervisor``), what ``/proc``
says about it (``proctree``), and parsing through it (``parse``: the CLI, the flows, the bench)."""
