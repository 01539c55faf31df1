"""Threads or asyncio, measured: many messages to as many channels, all due at once, through a
fake Slack that answers in SLACK_LATENCY (150 ms unless set), sent

1. the bot's way: slack_sdk's WebClient as `bot/slack.py` makes it (one pool of kept-alive
   connections, up to 64 per host), from a pool of 48 threads (`usecases.batching.Fanout`'s
   width);
2. the asyncio way: slack_sdk's AsyncWebClient on one aiohttp session (up to 64 connections),
   every message a coroutine, at most 48 calls at once.

The fake Slack runs in a process of its own, so the CPU time and memory are the sender's alone.

    pip install -e '.[bench]'   # aiohttp, for the asyncio side
    python -m benchmarks.sending [messages]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from benchmarks.harness import latency_label, slack_latency
from bot.config import Settings
from bot.limits import SlackLimits
from bot.slack import POOL_SIZE, SlackGate, Wire, make_client
from tests.slackkit.fake_slack import BOT_USER_ID, FakeChannel, FakeSlack

WIDTH = 48  # sends at once, as the bot's Fanout allows


def serve_fake(channels: int, spec: str, pipe: Connection) -> None:
    """The fake Slack, in this (child) process, until the parent says stop."""
    fake = FakeSlack().start()
    fake.latency = slack_latency(spec)
    for n in range(channels):
        fake.add_channel(FakeChannel(f"CS{n:07d}", f"channel-{n}", True, {BOT_USER_ID}))
    pipe.send(fake.api_url)
    pipe.recv()
    pipe.send(len(fake.calls_to("chat.postMessage")))
    fake.stop()


def with_threads(api_url: str, messages: int) -> None:
    settings = Settings(
        bot_token="xoxb-bench",
        signing_secret=None,
        app_token=None,
        port=0,
        database_url="",
        slack_api_url=api_url,
        log_level="WARNING",
        run_scheduler=False,
    )
    client = make_client(settings, SlackGate(), Wire(limits=SlackLimits(pacing=False)))

    def post(n: int) -> None:
        client.chat_postMessage(channel=f"CS{n:07d}", text=f"Phase 2/6 · message {n}")

    with ThreadPoolExecutor(WIDTH) as pool:
        list(pool.map(post, range(messages)))


def with_asyncio(api_url: str, messages: int) -> None:
    async def send_all() -> None:
        connector = aiohttp.TCPConnector(limit=POOL_SIZE)
        async with aiohttp.ClientSession(connector=connector) as session:
            client = AsyncWebClient(token="xoxb-bench", base_url=api_url, session=session)
            at_once = asyncio.Semaphore(WIDTH)

            async def post(n: int) -> None:
                async with at_once:
                    await client.chat_postMessage(
                        channel=f"CS{n:07d}", text=f"Phase 2/6 · message {n}"
                    )

            await asyncio.gather(*(post(n) for n in range(messages)))

    asyncio.run(send_all())


def measure(name: str, send: Callable[[str, int], None], messages: int) -> None:
    spec = os.environ.get("SLACK_LATENCY", "150")
    parent, child = multiprocessing.Pipe()
    fake = multiprocessing.Process(target=serve_fake, args=(messages, spec, child))
    fake.start()
    api_url = parent.recv()
    cpu, wall = time.process_time(), time.perf_counter()
    send(api_url, messages)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    parent.send("stop")
    taken = parent.recv()
    fake.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name:<28}{wall:>8.2f} s{messages / wall:>10.0f}/s{cpu * 1000 / messages:>9.2f} ms"
        f"{peak:>10.0f} MB   ({taken} of {messages} taken)"
    )


def main(messages: int) -> None:
    os.environ.setdefault("SLACK_LATENCY", "150")
    print(f"{messages:,} messages to {messages:,} channels, {latency_label()}, {WIDTH} at once")
    print(f"{'':<28}{'wall':>10}{'messages':>11}{'CPU/msg':>12}{'peak RSS':>10}")
    which = sys.argv[2] if len(sys.argv) > 2 else ""
    # Each side in a fresh interpreter of its own would be fairer for memory; the peak RSS
    # of this process is shown after each, the threads first.
    if which in ("", "threads"):
        measure("threads (the bot's way)", with_threads, messages)
    if which in ("", "asyncio"):
        measure("asyncio (aiohttp)", with_asyncio, messages)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
