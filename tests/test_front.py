"""The public port under hostile connections: whoever else is connected, and however slowly
they send, Slack's requests are answered; a request that does not arrive in time gets a 408;
and behind a trusted proxy, clients are told apart by its forwarding headers, which nobody
else can forge."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import bot.front as front_module
from bot.front import PER_CLIENT
from bot.proxies import client_address, parse_networks
from tests.conftest import SIGNING_SECRET
from tests.processes import free_port, start_bot_process
from tests.slackkit.fake_slack import FakeSlack
from tests.slackkit.people import CHLOE, NOORD
from tests.slackkit.sender import SlackSender
from tests.test_running_the_bot import bot_env

Start = Callable[..., str]


@pytest.fixture
def front(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path, engine: object
) -> Iterator[Start]:
    """Start `python -m bot` in HTTP mode (with extra settings); its base URL."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**settings: str) -> str:
        port = free_port()
        env = bot_env(fake_slack, database_url, PORT=str(port), **settings)
        started.append(start_bot_process(env, tmp_path, port))
        return f"http://127.0.0.1:{port}"

    yield start
    for process in started:
        process.kill()
        process.wait()


def connect(url: str, source: str = "127.0.0.2") -> socket.socket:
    """A connection to the bot from `source` (any 127.x.y.z is this machine)."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect((host, int(port)))
    return sock


def answer_of(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """All the bot sends back until it closes the connection."""
    sock.settimeout(timeout)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:  # it closed before reading all that was sent: answered
        pass
    return received


def test_connections_that_never_finish_a_request_do_not_hold_up_slack(
    front: Start, fake_slack: FakeSlack
) -> None:
    url = front()
    stalled = []
    for source in ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"):
        for _ in range(PER_CLIENT - 2):  # 150 in all: waitress's default took 100
            sock = connect(url, source)
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Le")
            stalled.append(sock)
    idle = [connect(url, "127.0.0.7") for _ in range(PER_CLIENT - 2)]  # and some say nothing

    slack = SlackSender(f"{url}/slack/events", SIGNING_SECRET, fake_slack)
    assert slack.command(CHLOE, NOORD, "help").status == 200
    fake_slack.wait_for("response_url")
    with urllib.request.urlopen(f"{url}/healthz", timeout=5) as health:
        assert health.status == 200
    for sock in stalled + idle:
        sock.close()


def test_a_request_that_does_not_arrive_in_time_is_answered_408_and_closed(
    front: Start,
) -> None:
    url = front()
    sock = connect(url)
    sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: 500\r\n\r\n{")

    answer = answer_of(sock)  # one byte of the body came, the rest never does

    assert answer.startswith(b"HTTP/1.1 408 Request Timeout")
    sock.close()


def test_one_address_gets_a_few_dozen_connections_and_others_still_get_in(front: Start) -> None:
    url = front()
    held = [connect(url, "127.0.0.2") for _ in range(PER_CLIENT)]
    extra = connect(url, "127.0.0.2")
    assert answer_of(extra) == b"", "over its share, the address's connection is closed at once"

    other = connect(url, "127.0.0.3")
    other.sendall(b"GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n")
    assert answer_of(other).startswith(b"HTTP/1.1 200")
    for sock in [*held, extra, other]:
        sock.close()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET / HTTP/1.1\r\nHost: bot\r\nX-Junk: " + b"a" * 17_000, b"431"),
        (b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Length: 2000000\r\n\r\n", b"413"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n", b"400"),
        (b"BREW /slack/events HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\r\n", b"405"),
    ],
    ids=["huge headers", "huge body", "garbage", "wrong method"],
)
def test_bad_input_at_the_front_gets_a_4xx_and_slack_is_still_answered(
    front: Start, fake_slack: FakeSlack, request_bytes: bytes, status: bytes
) -> None:
    url = front()
    sock = connect(url)
    sock.sendall(request_bytes)
    answer = answer_of(sock)
    assert answer.split(b" ")[1] == status, answer[:200]
    assert b"Traceback" not in answer
    sock.close()

    slack = SlackSender(f"{url}/slack/events", SIGNING_SECRET, fake_slack)
    assert slack.command(CHLOE, NOORD, "help").status == 200


def look_up(url: str, forwarded_for: str) -> int:
    """Ask /verify for a code that does not exist, as the client `forwarded_for`."""
    request = urllib.request.Request(
        f"{url}/verify/AAAA-BBBB-CCCC-DDDD", headers={"X-Forwarded-For": forwarded_for}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_behind_a_trusted_proxy_one_client_guessing_codes_is_held_back_alone(
    front: Start,
) -> None:
    url = front(TRUSTED_PROXIES="127.0.0.1")
    while look_up(url, "203.0.113.7") == 404:  # one client keeps guessing
        pass
    assert look_up(url, "203.0.113.7") == 429
    assert look_up(url, "198.51.100.2") == 404, "another client behind the proxy is not held"


def test_from_an_untrusted_address_forwarding_headers_are_ignored(front: Start) -> None:
    url = front()
    tries = [look_up(url, f"198.51.100.{n}") for n in range(12)]
    assert 429 in tries, "a made-up X-Forwarded-For does not make a guesser someone new"


def test_the_client_is_the_nearest_address_no_trusted_proxy_wrote() -> None:
    trusted = parse_networks("10.0.0.0/8, 127.0.0.1")
    behind_two = {
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9, 10.0.0.7",
    }
    assert client_address(behind_two, trusted) == "198.51.100.9"
    assert client_address({**behind_two, "REMOTE_ADDR": "192.0.2.1"}, trusted) == "192.0.2.1"
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": 'for="[2001:db8::1]:4711"'}
    assert client_address(forwarded, trusted) == "2001:db8::1"
    assert client_address({"REMOTE_ADDR": "127.0.0.1"}, trusted) == "127.0.0.1"
    junk = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "unknown"}
    assert client_address(junk, trusted) == "127.0.0.1"


def test_untrusted_networks_in_the_setting_are_named() -> None:
    with pytest.raises(ValueError, match=r"proxy\.example"):
        parse_networks("10.0.0.1, proxy.example")


def test_when_the_port_is_full_the_longest_waiting_connection_makes_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(front_module, "TOTAL", 6)

    def hello(_environ: object, start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"hello"]

    port = free_port()
    server = front_module.http_server(hello, port, ())
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        waiting = []
        for n in range(6):  # the port fills up with requests that never finish
            sock = connect(url, f"127.0.3.{n + 1}")
            sock.sendall(b"GET / HTTP/1.1\r\nHost: bot\r\n")
            waiting.append(sock)
            time.sleep(0.05)  # so that they are in order of age
        with urllib.request.urlopen(url, timeout=5) as newcomer:  # Slack, say
            assert newcomer.read() == b"hello"
        assert answer_of(waiting[0], 5) == b"", "the one that waited longest was closed"
        waiting[-1].settimeout(0.5)
        with pytest.raises(TimeoutError):
            waiting[-1].recv(1)  # the youngest is still open, waiting for its request
    finally:
        for sock in waiting:
            sock.close()
        server.task_dispatcher.shutdown()
        server.close()
