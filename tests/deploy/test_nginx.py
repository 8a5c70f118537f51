"""deploy/nginx/survey.conf: `nginx -t` accepts it, and the app answers through it with TLS,
the forwarded headers set by nginx alone, and an access log without tokens or passing probes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request
from werkzeug.serving import make_server

from tests.conftest import make_app, skip_or_fail
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVER_BLOCK = ROOT / "deploy" / "nginx" / "survey.conf"
HOST = "survey.example.org"
TOKEN = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj3"


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        skip_or_fail("nginx is not installed (apt-get install nginx-light)")
    assert found is not None
    return found


def _render(tmp: Path, http: int, https: int, app_port: int) -> Path:
    """The shipped server block with this test's ports, certificate and log, inside a minimal
    nginx.conf of its own (pid, temp paths and error log in tmp)."""
    text = SERVER_BLOCK.read_text()
    for old, new in [("listen 80;", f"listen 127.0.0.1:{http};"), ("listen [::]:80;", ""),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
                     ("listen [::]:443 ssl http2;", ""),
                     ("/etc/ssl/survey/", f"{tmp}/"),
                     ("/var/log/nginx/survey.access.log", f"{tmp}/access.log"),
                     ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")]:
        assert old in text, old
        text = text.replace(old, new)
    (tmp / "survey.conf").write_text(text)
    user = "user root;" if os.geteuid() == 0 else ""
    main = tmp / "nginx.conf"
    main.write_text(f"""{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{}}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/survey.conf;
}}
""")
    return main


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    nginx = _nginx()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-keyout", str(tmp_path / "privkey.pem"),
                    "-out", str(tmp_path / "fullchain.pem")], check=True, capture_output=True)
    app: Flask = make_app(f"sqlite:///{tmp_path}/app.sqlite3", TRUSTED_PROXIES=1,
                          TRUSTED_HOSTS=[HOST])

    @app.get("/_peer")
    def peer() -> str:
        return f"{request.remote_addr} {request.scheme}"

    with app.app_context():
        from survey.extensions import db

        db.create_all()
    app_port, http, https = free_port(), free_port(), free_port()
    server = make_server("127.0.0.1", app_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    conf = _render(tmp_path, http, https, app_port)
    checked = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield http, https, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        server.shutdown()


@pytest.mark.slow
def test_the_app_through_nginx(served: tuple[int, int, Path]) -> None:
    requests = pytest.importorskip("requests")
    import urllib3

    urllib3.disable_warnings()
    http, https, tmp = served
    base = f"https://127.0.0.1:{https}"
    headers = {"Host": HOST}

    plain = requests.get(f"http://127.0.0.1:{http}/", headers=headers, allow_redirects=False,
                         timeout=10)
    assert plain.status_code == 301 and plain.headers["Location"] == f"https://{HOST}/"

    home = requests.get(f"{base}/", headers=headers, verify=False, timeout=10)
    assert home.status_code == 200
    assert "Strict-Transport-Security" in home.headers  # the app saw X-Forwarded-Proto: https
    assert len(home.headers["X-Request-ID"]) == 32  # nginx's $request_id, echoed by the app

    forged = requests.get(f"{base}/_peer", verify=False, timeout=10,
                          headers={**headers, "X-Forwarded-For": "6.6.6.6",
                                   "X-Forwarded-Host": "evil.example"})
    assert forged.text == "127.0.0.1 https"

    assert requests.get(f"{base}/r/{TOKEN}", headers=headers, verify=False,
                        timeout=10).status_code in (302, 404)
    assert requests.get(f"{base}/healthz", headers=headers, verify=False,
                        timeout=10).status_code == 200
    other = requests.get(f"{base}/", headers={"Host": "evil.example"}, verify=False, timeout=10)
    assert other.status_code == 400

    time.sleep(0.2)
    log = (tmp / "access.log").read_text()
    assert TOKEN not in log
    assert 'path="/r/[token]"' in log
    assert "healthz" not in log
    assert f"request_id={home.headers['X-Request-ID']}" in log
    assert all(line.startswith("ts=") and " level=INFO logger=nginx " in line
               for line in log.splitlines())
