"""Save-to-served latency of `cxplan serve`, and its memory, as the portfolio grows.

For each size of the synthetic portfolio of `benchmarks/validate.py` (about 60 actions
per plan; the workspace of `benchmarks/accounts.py`), one real `cxplan serve --as-of
2026-11-23 -a 127.0.0.1:PORT` process on a free port, as a person runs it:

1. wait until it serves the home page (its first, full build);
2. --edits times: give the first action of the first plan a new title, one unique word,
   saving the file as an editor does (the whole file rewritten in place; `--atomic-save`
   writes a sibling and renames it over the plan instead), then ask for that plan's
   actions page (`plans/<id>/actions/`) over HTTP every 50 ms until a response holds the
   word. The latency is the time from the end of the write to the end of that response:
   what the person waits for between saving and seeing the change in the browser.
   Between two saves the server is left to finish whatever the save started (its log
   says the rebuild is done: the saved plan is served before that).

Printed per size: the time to the first page, the median and the largest latency of
the edits, the median of the server's own "rebuilt in" log lines (the part of the wait
that is the rebuild), and the peak resident memory (VmHWM) of the serve process and of
the largest of its child processes (the build's worker processes live only during a
build, so the process tree is sampled every 200 ms), with the most the whole tree held
at once (summed PSS, so the pages forked workers share with the server count once).
Last, the ratio median(largest size) / median(smallest size) against the target of
issue 16 (at most 1.3 from 1 to 100 plans).

A save that is not served within --guard seconds (120) is reported as such and the
next size is measured: this measures, it never fails on speed. Exit 1 only when the
serve process ends by itself (its log is printed).

Usage: python benchmarks/serve.py [--sizes 1 10 100] [--edits 5] [--atomic-save]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accounts import AS_OF, TARGETS, _exe, compiled, env, fresh_cache, workspace  # siblings
from memory import MemorySampler, status_kb

TARGET = TARGETS["serve(100)/serve(1)"]
POLL = 0.05  # seconds between two requests for the page
START_GUARD = 900.0  # the first build of a large portfolio takes minutes on 2 cores
_ACTION_TITLE = re.compile(r"(\n  - id: a1\n    title: )[^\n]*")
_REBUILT = re.compile(r"rebuilt in ([0-9.]+) s")


class ServeCrashed(Exception):
    """The serve process ended while it was being measured."""


@dataclass
class Result:
    size: int
    started: float = 0.0
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    rebuilds: list[float] = field(default_factory=list)
    serve_hwm_kb: int = 0
    child_hwm_kb: int = 0
    children_seen: int = 0
    tree_pss_kb: int = 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _opener() -> urllib.request.OpenerDirector:
    # The server is on this machine: no proxy of the environment in between.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> bytes | None:
    """The page's bytes, or None while the server cannot answer it."""
    try:
        with opener.open(url, timeout=max(timeout, 0.1)) as response:
            return bytes(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(proc: subprocess.Popen[bytes], url: str, word: bytes | None, since: float,
             guard: float) -> float | None:
    """Seconds from `since` to the first response of `url` (holding `word`, if given);
    None after `guard` seconds. MkDocs' server holds a request while a build runs, so
    a request made during the rebuild is answered as soon as the new site is there."""
    opener = _opener()
    while True:
        if proc.poll() is not None:
            raise ServeCrashed(f"cxplan serve exited with {proc.returncode}")
        left = since + guard - time.perf_counter()
        if left <= 0:
            return None
        body = _get(opener, url, left)
        if body is not None and (word is None or word in body):
            return time.perf_counter() - since
        time.sleep(POLL)


def settle(proc: subprocess.Popen[bytes], home: str, guard: float, log: Path,
           rebuilds: int) -> None:
    """Wait until the server is idle before the next save: its log says the save's
    whole rebuild is done (more than `rebuilds` "rebuilt in" lines; the saved plan's
    pages are served before that, and a request is no longer held until the end),
    then past two rounds of MkDocs' watcher (it polls the files every 0.5 s), then one
    request, which the server holds until a rebuild that a second event of the same
    save may have started is done."""
    until = time.perf_counter() + guard
    while len(_rebuilds(log)) <= rebuilds and time.perf_counter() < until:
        if proc.poll() is not None:
            raise ServeCrashed(f"cxplan serve exited with {proc.returncode}")
        time.sleep(POLL)
    time.sleep(1.2)
    wait_for(proc, home, None, time.perf_counter(), guard)


def save(plan: Path, word: str, atomic: bool) -> None:
    """The first action's title becomes `word`, the file written as an editor does."""
    text, count = _ACTION_TITLE.subn(lambda m: m.group(1) + word,
                                     plan.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit(f"{plan.name}: no action a1 to edit")
    if atomic:
        sibling = plan.with_name(f".{plan.name}.tmp")
        sibling.write_text(text, encoding="utf-8")
        os.replace(sibling, plan)
    else:
        with plan.open("w", encoding="utf-8") as stream:
            stream.write(text)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as a person stops it (the server removes its temporary site)."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _rebuilds(log: Path) -> list[float]:
    return [float(m) for m in _REBUILT.findall(log.read_text(encoding="utf-8", errors="replace"))]


def measure(size: int, base: Path, edits: int, guard: float, atomic: bool) -> Result:
    ws = workspace(base / f"ws{size}", size)
    fresh_cache(base / f"cache{size}")  # an empty cache of parsed plans, not the user's
    plan = sorted((ws / "plans").glob("*.yaml"))[0]
    port = free_port()
    home = f"http://127.0.0.1:{port}/"
    page = f"{home}plans/{plan.stem}/actions/"
    log = base / f"serve{size}.log"
    result = Result(size)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [_exe("cxplan"), "serve", "--as-of", AS_OF, "-a", f"127.0.0.1:{port}"],
            cwd=ws, env=env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    try:
        started = wait_for(proc, home, None, time.perf_counter(), START_GUARD)
        result.started = started if started is not None else START_GUARD
        before = len(_rebuilds(log))
        for n in range(edits if started is not None else 0):
            word = f"Edited{size}x{n}{secrets.token_hex(4)}"
            rebuilds = len(_rebuilds(log))
            save(plan, word, atomic)
            latency = wait_for(proc, page, word.encode(), time.perf_counter(), guard)
            if latency is None:
                result.timeouts += 1
                break  # the server is stuck on this size; the next size is measured
            result.latencies.append(latency)
            settle(proc, home, guard, log, rebuilds)
        result.rebuilds = _rebuilds(log)[before:]
        result.serve_hwm_kb = status_kb(proc.pid)[0]
        if proc.poll() is not None:
            raise ServeCrashed(f"cxplan serve exited with {proc.returncode}")
    except ServeCrashed as exc:
        stop(proc)
        sampler.stop()
        print(f"{size} plans: {exc}; its log:\n{log.read_text(encoding='utf-8', errors='replace')}",
              file=sys.stderr)
        raise
    finally:
        stop(proc)
    sampler.stop()
    result.child_hwm_kb = max(sampler.child_hwm.values(), default=0)
    result.children_seen = len(sampler.child_hwm)
    result.tree_pss_kb = sampler.tree_pss
    return result


def report(r: Result, edits: int, guard: float) -> None:
    if r.started >= START_GUARD:
        print(f"\n{r.size} plans: no page served {START_GUARD:.0f} s after start: not measured")
    else:
        print(f"\n{r.size} plans: first page served {r.started:.1f} s after start")
    if r.latencies:
        lat = r.latencies
        print(f"  save to served   median {statistics.median(lat):6.2f} s, "
              f"max {max(lat):6.2f} s over {len(lat)} of {edits} saves "
              f"({', '.join(f'{x:.2f}' for x in lat)})")
    if r.timeouts:
        print(f"  a save was not served within {guard:.0f} s: stopped measuring this size")
    if r.rebuilds:
        print(f"  serve's own log  median rebuild {statistics.median(r.rebuilds):.1f} s "
              f"over {len(r.rebuilds)} rebuilds")
    print(f"  peak memory      serve process {r.serve_hwm_kb / 1024:.0f} MB (VmHWM), "
          f"largest child {r.child_hwm_kb / 1024:.0f} MB ({r.children_seen} child processes seen), "
          f"whole tree at most {r.tree_pss_kb / 1024:.0f} MB at once (PSS: shared pages once)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--edits", type=int, default=5, help="saves measured per size")
    parser.add_argument("--guard", type=float, default=120.0,
                        help="seconds a save may take to be served before giving up")
    parser.add_argument("--atomic-save", action="store_true",
                        help="save by writing a sibling file and renaming it over the plan")
    args = parser.parse_args()
    compiled()
    results: dict[int, Result] = {}
    with tempfile.TemporaryDirectory(prefix="cxplan-serve-bench-") as tmp:
        for size in args.sizes:
            try:
                results[size] = measure(size, Path(tmp), args.edits, args.guard,
                                        args.atomic_save)
            except ServeCrashed:
                return 1
            report(results[size], args.edits, args.guard)
            sys.stdout.flush()
    measured = {s: statistics.median(r.latencies) for s, r in results.items() if r.latencies}
    if len(measured) > 1:
        low, high = min(measured), max(measured)
        ratio = measured[high] / measured[low]
        verdict = "meets" if ratio <= TARGET else "misses"
        print(f"\nsave to served, median at {high} plans / median at {low}: {ratio:.3f} "
              f"(target <= {TARGET} from 1 to 100 plans: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
