"""The sandbox in its own process for benchmarks: users in bulk, limits, stats on request.

Protocol on stdin/stdout, one line each: it prints `READY <root_url> <token>`;
then `stats` answers one JSON line; `load NAME` plays a scenario of `load.py`
and answers its figures as one JSON line; `vote PLAN` plays the presses of
`vote_load.py` and answers likewise; `limits on|off` switches Telegram's
limits (answers `ok`); `quit` stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
from typing import Any

from load import run as run_load  # this folder is sys.path[0] when run as a script
from vote_load import vote

from sandbox import SandboxServer


def stats(server: SandboxServer, first_user: int, users: int) -> dict[str, Any]:
    state = server.state
    sends = [
        c.time
        for c in state.calls
        if c.method == "sendMessage"
        and c.status == 200
        and isinstance(c.chat_id, int)
        and first_user <= c.chat_id < first_user + users
    ]
    delivered = [state.chats[u].delivered for u in range(first_user, first_user + users)]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "ok_sends": len(sends),
        "first": min(sends, default=0.0),
        "last": max(sends, default=0.0),
        "rejected_429": server.limits.rejected,
        "calls": len(state.calls),
        "missing": sum(1 for d in delivered if d == 0),
        "duplicates": sum(d - 1 for d in delivered if d > 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--first-user", type=int, default=1_000_000)
    parser.add_argument("--limits", action="store_true", help="enforce 30/s and 1/s per chat")
    parser.add_argument("--also", type=int, action="append", default=[], help="another user")
    args = parser.parse_args()
    server = SandboxServer(personas=[], log_limit=max(200_000, 2 * args.users))
    for user_id in [*range(args.first_user, args.first_user + args.users), *args.also]:
        server.state.user(user_id, first_name="Dân")
    server.limits.configure(enabled=args.limits, per_second=30, per_chat_per_second=1)
    await server.start("127.0.0.1", 0)
    print(f"READY {server.root_url} {server.token}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "stats":
            print(json.dumps(stats(server, args.first_user, args.users)), flush=True)
        elif line.startswith("load "):
            print(json.dumps(await run_load(server, line.split()[1])), flush=True)
        elif line.startswith("vote "):
            print(json.dumps(await vote(server, line.split(maxsplit=1)[1])), flush=True)
        elif line.startswith("limits "):
            server.limits.configure(enabled=line.split()[1] == "on")
            print("ok", flush=True)
        elif line in ("quit", ""):
            break
    await server.stop()


if __name__ == "__main__":
    asyncio.run(main())
