"""The sealed site: a team site only people with its password can read, on any host.

For hosts that cannot restrict who reads them. `cxplan build --seal-with-env VAR`
builds the site as usual into a private temporary folder, then publishes, atomically
(`cxplan.publish.swap`), a sealed copy in which every file of the site is ciphertext:

- `sealed/<name>`: each file of the site, encrypted with AES-256-GCM (a random 96-bit
  nonce per file, the file's path as additional data, so a file cannot be passed off
  as another) and its Content-Type inside the ciphertext. `<name>` is the HMAC-SHA256
  of the file's path: the folder does not tell which pages, plans or people there are;
- `cxplan-seal.json`: what the browser needs to derive the keys (the KDF, its
  iterations, this build's random salt) and a check blob that only the right password
  opens, so that a wrong one is told at once;
- `index.html` and `404.html`: the unlock page (the same page: a host that answers
  unknown addresses with `404.html` brings a deep link to it, and it opens where the
  link pointed once unlocked);
- `cxplan-sw.js`: the service worker that, once the unlock page gave it the keys,
  fetches and decrypts every file the site's pages ask for and answers with the file's
  own type: pages, navigation, Material's search index, pictures and downloads work
  unchanged.

The keys: PBKDF2-HMAC-SHA256 of the password (NFC) with `ITERATIONS` rounds and a
16-byte random salt gives a master secret, from which HKDF-SHA256 derives the
content key and the name key. All of it is standard cryptography from well-kept code:
the `cryptography` package here, the browser's WebCrypto there; nothing is home-made.
What is not protected: the number and sizes of the files, and a weak password (the
sealed files can be taken away and guessed at offline: hence the minimum length).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import html
import json
import mimetypes
import os
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import MkDocsException

from cxplan import i18n
from cxplan.config import load_config
from cxplan.files import cannot_write, is_environment_error
from cxplan.publish.accounts import BuildRefused, Outcome, Request, build_accounts
from cxplan.publish.build import BuildFailed
from cxplan.publish.outputs import overlap, workspace_inputs
from cxplan.publish.swap import SwapFailed, publish, staging

FORMAT = 1
ITERATIONS = 600_000
"""PBKDF2-HMAC-SHA256 rounds: OWASP's figure for SHA-256 (2023)."""
MINIMUM_LENGTH = 12
"""Characters a password must have at least: the sealed files can be guessed at offline."""
SEAL = "cxplan-seal.json"
WORKER = "cxplan-sw.js"
SEALED = "sealed"
UNLOCK_PAGES = ("index.html", "404.html")
NONCE = 12
SALT = 16

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".gz": "application/gzip",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".eml": "message/rfc822",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".map": "application/json",
    ".graphml": "application/xml",
}
"""The Content-Type the service worker answers with, by file extension (fixed here, not
read from the build machine's MIME database, so that every build says the same)."""


class SealRefused(Exception):
    """The sealed build cannot be made (no password, a short one): nothing was written."""


@dataclass(frozen=True)
class Keys:
    salt: bytes
    content: bytes
    """The AES-256-GCM key of the files."""
    names: bytes
    """The HMAC-SHA256 key of the files' stored names."""


def derive(password: str, salt: bytes, iterations: int = ITERATIONS) -> Keys:
    """The keys of `password`: exactly what the unlock page derives with WebCrypto."""
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    master = hashlib.pbkdf2_hmac("sha256", secret, salt, iterations, dklen=32)

    def expand(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(master)

    return Keys(salt, expand(b"cxplan content"), expand(b"cxplan names"))


def sealed_name(keys: Keys, path: str) -> str:
    """The stored name of the site's file `path` (relative, with `/`)."""
    return hmac.new(keys.names, path.encode("utf-8"), hashlib.sha256).hexdigest()


def content_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def seal_file(keys: Keys, path: str, body: bytes) -> bytes:
    """Nonce, then AES-GCM of (type length, type, body) with the path as additional data."""
    kind = content_type(path).encode("ascii")
    nonce = secrets.token_bytes(NONCE)
    sealed = AESGCM(keys.content).encrypt(nonce, bytes([len(kind)]) + kind + body,
                                          path.encode("utf-8"))
    return nonce + sealed


def open_file(keys: Keys, path: str, data: bytes) -> tuple[str, bytes]:
    """The (Content-Type, body) of a sealed file; raises `InvalidTag` on a wrong key."""
    plain = AESGCM(keys.content).decrypt(data[:NONCE], data[NONCE:], path.encode("utf-8"))
    length = plain[0]
    return plain[1:1 + length].decode("ascii"), plain[1 + length:]


def read_seal(site: Path) -> dict[str, object]:
    data = json.loads((site / SEAL).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def keys_of(site: Path, password: str) -> Keys:
    """The keys of a sealed site (for tests and tools: what the unlock page does)."""
    seal = read_seal(site)
    kdf = seal["kdf"]
    assert isinstance(kdf, dict) and isinstance(seal["salt"], str)
    return derive(password, base64.b64decode(seal["salt"]), int(kdf["iterations"]))


def password_from(variable: str, language: str) -> str:
    """The password in the environment variable `variable`; `SealRefused` when it is
    missing, empty or too short (its value is never shown)."""
    password = os.environ.get(variable, "")
    if not password:
        raise SealRefused(i18n.text(language, "seal.no_password", name=variable))
    if len(password) < MINIMUM_LENGTH:
        raise SealRefused(i18n.text(language, "seal.short_password", name=variable,
                                    count=len(password), minimum=MINIMUM_LENGTH))
    return password


def _site_files(site: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path.relative_to(site).as_posix(), path


def unlock_page(language: str) -> str:
    """The unlock page in `language`: no text of the site, only the catalogue's."""
    template = resources.files("cxplan.publish").joinpath("seal_assets/unlock.html")
    page = template.read_text(encoding="utf-8")
    labels = i18n.labels(language)
    texts = {key: labels[f"seal.{key}"]
             for key in ("working", "wrong", "insecure", "missing", "failed")}
    page = page.replace("__TEXTS__", json.dumps(texts, ensure_ascii=True).replace("<", "\\u003c"))
    page = page.replace("__LANG__", html.escape(language))
    for token, key in (("__TITLE__", "title"), ("__LEAD__", "lead"),
                       ("__PASSWORD__", "password"), ("__UNLOCK__", "unlock")):
        page = page.replace(token, html.escape(labels[f"seal.{key}"]))
    return page


def write_sealed(plain: Path, out: Path, password: str, language: str,
                 iterations: int = ITERATIONS) -> int:
    """Write the sealed copy of the site `plain` into the empty folder `out`; returns
    the number of files sealed."""
    keys = derive(password, secrets.token_bytes(SALT), iterations)
    check_nonce = secrets.token_bytes(NONCE)
    check = check_nonce + AESGCM(keys.content).encrypt(
        check_nonce, b"cxplan sealed site", SEAL.encode("ascii"))
    seal = {
        "format": FORMAT,
        "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": iterations},
        "salt": base64.b64encode(keys.salt).decode("ascii"),
        "check": base64.b64encode(check).decode("ascii"),
    }
    (out / SEALED).mkdir()
    count = 0
    for path, source in _site_files(plain):
        (out / SEALED / sealed_name(keys, path)).write_bytes(
            seal_file(keys, path, source.read_bytes()))
        count += 1
    (out / SEAL).write_text(json.dumps(seal, indent=1) + "\n", encoding="utf-8")
    worker = resources.files("cxplan.publish").joinpath(f"seal_assets/{WORKER}")
    (out / WORKER).write_bytes(worker.read_bytes())
    page = unlock_page(language)
    for name in UNLOCK_PAGES:
        (out / name).write_text(page, encoding="utf-8")
    return count


def publish_sealed(plain: Path, target: Path, password: str, language: str) -> int:
    """Replace `target` atomically by the sealed copy of `plain`; returns the number of
    files sealed. Raises `SwapFailed` (the previous site as it was)."""
    try:
        with staging(target) as fresh:
            count = write_sealed(plain, fresh, password, language)
            publish(fresh, target)
    except OSError as exc:
        if not is_environment_error(exc):
            raise
        raise SwapFailed(cannot_write(exc, target)) from None
    return count


@dataclass(frozen=True)
class SealedOutcome:
    outcome: Outcome
    """The build of the site in clear (its `site_dir` is gone: read `target`)."""
    target: Path
    sealed: int
    """Files sealed."""


def build_sealed(request: Request, variable: str) -> SealedOutcome:
    """`cxplan build --seal-with-env VARIABLE`: the team site, built in a private
    temporary folder, published sealed at the request's site folder.

    Raises `SealRefused` or `BuildRefused` before anything is written, `BuildFailed`
    (the previous site untouched) when the site could not be built or sealed. The site
    in clear never reaches the target's folder; every build is a full one (a sealed
    site holds nothing a rebuild could reuse), with a new salt and new nonces."""
    settings, root, _ = load_config(request.config_file)
    language = settings.language or i18n.DEFAULT_LANGUAGE
    audience = request.audience or os.environ.get("CXPLAN_AUDIENCE") or settings.audience
    if audience != "team":
        raise SealRefused(i18n.text(language, "seal.team_only"))
    if request.shard is not None:
        raise SealRefused(i18n.text(language, "seal.no_shards"))
    password = password_from(variable, language)
    try:
        mkdocs = load_mkdocs_config(config_file=str(request.config_file))
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None
    given = request.site_dir or Path(mkdocs.site_dir)
    refused = overlap(given, workspace_inputs(root, settings, {"docs_dir": mkdocs.docs_dir}),
                      what="site", language=settings.language)
    if refused:
        raise BuildRefused(refused)
    target = given.resolve()
    if target.exists() and not target.is_dir():
        raise BuildRefused(i18n.Text.of("files.not_a_folder", path=str(target)))
    private = Path(tempfile.mkdtemp(prefix="cxplan-sealing-"))  # 0700: this user only
    try:
        plain = private / "site"
        outcome = build_accounts(dataclasses.replace(request, site_dir=plain))
        try:
            sealed = publish_sealed(plain, target, password, outcome.language)
        except SwapFailed as exc:
            raise BuildFailed(exc.said) from None
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return SealedOutcome(outcome, target, sealed)
