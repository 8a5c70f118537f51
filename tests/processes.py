"""Servers that tests start as separate processes (gunicorn, nginx): a free port, waiting until
one answers, stopping it without waiting forever."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_healthy(base: str, seconds: float = 30) -> None:
    """Until `base`/healthz answers 200 (the server started, or its new worker booted)."""
    import requests

    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, f"{base} did not start"
        time.sleep(0.2)


def stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """Stop a server started by a test. A worker still booting on a loaded machine can keep a
    graceful shutdown waiting past the test's patience: then it is killed."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)
