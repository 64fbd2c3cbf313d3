"""Project commands (``COMMANDS_MODULE``): ``crawl`` checks the portal spider's arguments first."""
