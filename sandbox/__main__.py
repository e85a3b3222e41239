"""Run the sandbox alone: python -m sandbox [--host H] [--port P] [--token T]."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from sandbox.server import SandboxServer


async def serve(host: str, port: int, token: str | None) -> None:
    """Start the sandbox and wait forever (Ctrl+C stops it)."""
    server = SandboxServer(token=token)
    await server.start(host, port)
    print(f"Web chat:      {server.root_url}/")
    print(f"Bot base_url:  {server.base_url}")
    print(f"File base_url: {server.base_file_url}")
    print(f"Token:         {server.token}")
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default=None)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.token))


if __name__ == "__main__":
    main()
