"""The publishing guide's recipes, run as written: the nginx server of
docs/publishing.md, taken from the page itself (so the page cannot drift), serves a
real built site on 127.0.0.1 as this test's own process, with a self-signed
certificate and a password file made by `openssl passwd`: 401 without credentials,
200 with them, on pages, search index and downloads alike."""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_helpers import REPO, make_workspace

GUIDE = REPO / "docs" / "publishing.md"
USER, PASSWORD = "ana", "correct horse battery staple"


def nginx_block() -> str:
    """The one ```nginx block of the publishing guide."""
    blocks = re.findall(r"```nginx\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "the publishing guide has exactly one nginx configuration"
    return blocks[0]


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    assert found, "Debian's nginx is needed (scripts/test installs it: apt-get install nginx)"
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_for(tmp: Path) -> Path:
    workspace = make_workspace(tmp / "workspace")
    site = tmp / "site"
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--site-dir", str(site),
         "--as-of", "2026-11-23"],
        cwd=workspace, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def server_config(tmp: Path, site: Path, port: int) -> Path:
    """The guide's server block with this machine's paths, in a main configuration that
    runs nginx in the foreground with every file it writes under `tmp`."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem"),
         "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", "-stdin"], input=PASSWORD, check=True,
        capture_output=True, text=True, timeout=60,
    ).stdout.strip()
    (tmp / "cxplan.htpasswd").write_text(f"{USER}:{hashed}\n", encoding="utf-8")
    block = nginx_block()
    replacements = {
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "/etc/ssl/certs/plans.example.internal.pem": str(tmp / "cert.pem"),
        "/etc/ssl/private/plans.example.internal.key": str(tmp / "key.pem"),
        "/srv/cxplan/site": str(site),
        "/etc/nginx/cxplan.htpasswd": str(tmp / "cxplan.htpasswd"),
    }
    for old, new in replacements.items():
        assert old in block, old
        block = block.replace(old, new)
    temp = tmp / "temp"
    temp.mkdir()
    # As root, nginx's workers would switch to an unprivileged user that cannot read
    # the test's private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = (
        f"{user}daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        "http {\n    include /etc/nginx/mime.types;\n    access_log off;\n"
        + "".join(f"    {kind}_temp_path {temp / kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + block + "}\n"
    )
    config = tmp / "nginx.conf"
    config.write_text(main, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = server_config(tmp, site_for(tmp), port)
    binary = nginx_binary()
    check = subprocess.run([binary, "-t", "-p", str(tmp), "-c", str(config)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([binary, "-p", str(tmp), "-c", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60  # against a hang only
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.1)
        yield f"https://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=60)


def get(url: str, credentials: tuple[str, str] | None = None) -> tuple[int, bytes, str]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    request = urllib.request.Request(url)
    if credentials:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, context=context, timeout=60) as response:
            return response.status, response.read(), response.headers.get("WWW-Authenticate", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("WWW-Authenticate", "")


PATHS = ["", "plans/northwind-logistics/power-map/", "search/search_index.json",
         "plans/northwind-logistics/northwind-logistics.csv", "sitemap.xml"]


@pytest.mark.parametrize("path", PATHS)
def test_nothing_is_served_without_credentials(nginx: str, path: str) -> None:
    status, body, challenge = get(nginx + path)
    assert status == 401
    assert challenge == 'Basic realm="CX plans"'
    assert b"Northwind" not in body


@pytest.mark.parametrize("path", PATHS)
def test_everything_is_served_with_them(nginx: str, path: str) -> None:
    status, body, _ = get(nginx + path, (USER, PASSWORD))
    assert status == 200
    if "sitemap" not in path:
        assert b"Northwind" in body or b"northwind" in body


def test_a_wrong_password_is_refused(nginx: str) -> None:
    assert get(nginx, (USER, "wrong"))[0] == 401
    assert get(nginx, ("ben", PASSWORD))[0] == 401


def test_a_missing_page_is_the_sites_404_page(nginx: str) -> None:
    status, body, _ = get(nginx + "plans/no-such-plan/", (USER, PASSWORD))
    assert status == 404 and b"md-content" in body
