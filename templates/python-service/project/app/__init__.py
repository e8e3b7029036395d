"""The service's code: `python -m app` runs it (see `__main__.py`)."""
