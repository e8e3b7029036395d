"""Serves the app with uvicorn on every interface, on `PORT` (default {{ port }})."""

import os
import sys

import uvicorn


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("error: DATABASE_URL is not set; `idp run -- python -m app` sets it")
    port = int(os.environ.get("PORT", "{{ port }}"))
    uvicorn.run("app.main:app", host="0.0.0.0", port=port)


if __name__ == "__main__":
    main()
