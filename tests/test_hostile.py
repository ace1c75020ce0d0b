"""Hostile input: whatever bytes a plan file holds, `cxplan validate` ends cleanly.

Each corpus file is generated here and run through `cxplan validate` in a process of
its own, limited to 2 s of CPU and 512 MB of address space: the
exit code is 0 or 1, the output names the file, and there is no traceback and no crash
signal (going over a limit kills the process with a signal, which fails the test). Most
cases also pin the diagnostic code, so a guard that silently stops working is noticed.

How the processes are made: starting the console script costs about 0.6 s of CPU in
imports, which dwarfs the work on any one file; over 60 files that made this module take
a minute on two busy cores, and it made a wall-clock limit of 2 s measure the machine's
load rather than the input. So the limits are CPU time (`RLIMIT_CPU`: the kernel kills a
child that computes too long, however busy the machine is); the wall clock only guards
against a hang, generously (`HANG_GUARD`), and the suite passes with every core busy.
And one helper process imports the CLI once and then, per file, forks a fresh child
that sets the limits and runs `cxplan.cli.main` (the console script's own entry point)
with `validate FILE` as its arguments. Each child is a real
process: a segmentation fault, a kill by the memory or CPU limit, or a hang is seen as
exactly that. The helper is single-threaded, so forking it is safe. A few files also go
through the installed console script itself, from exec to exit.

The public yaml-test-suite (../shared/yaml-test-suite) runs through the loader
in-process, case by case, and through one `cxplan validate` process over the whole
folder.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SHARED, minimal_plan_text, mutate

from cxplan.load import load_file
from cxplan.model.build import load_plan

CXPLAN = Path(sys.executable).with_name("cxplan")
SECONDS = 2  # of CPU time
# Wall clock, only against a hang (a child blocked without computing): never a speed
# check, so generous enough for a machine with every core busy.
HANG_GUARD = 60.0
WALL_TIMEOUT = HANG_GUARD  # for the console-script runs, which include ~0.6 s of imports
MEMORY = 512 * 1024 * 1024
SUITE = SHARED / "yaml-test-suite"


def _limits(cpu_seconds: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))

    return apply


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[], bytes]
    code: str | None
    """The diagnostic code expected first, or None where only a clean ending matters."""
    exit_code: int | None = 1
    """The exact exit code expected, or None for 'either 0 or 1'."""

    @property
    def file_name(self) -> str:
        return self.name + ".yaml"

    def content(self) -> bytes:
        return self.make()


def plan() -> str:
    return minimal_plan_text()


def utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def in_plan(old: str, new: str) -> Callable[[], bytes]:
    return lambda: mutate(plan(), old, new).encode("utf-8")


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, cur = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def nested_block_mappings(depth: int) -> bytes:
    return "".join(" " * i + "a:\n" for i in range(depth)).encode() + b" " * depth + b"x\n"


def two_megabytes() -> bytes:
    text = plan() + "# " + "padding " * 40 + "\n"
    return (text * (2 * 1024 * 1024 // len(text) + 1)).encode()


def huge_line() -> bytes:
    return mutate(plan(), "title: Acme CX plan", "title: " + "Acme " * 180_000).encode()


CORPUS = [
    Hostile("alias-bomb", billion_laughs, "CX111"),
    Hostile("alias-in-plan", in_plan("  - id: ben\n    name: Ben Cole",
                                     "  - id: ben\n    name: *who"), "CX111"),
    Hostile("anchor-only", in_plan("name: Ana Ruiz", "name: &who Ana Ruiz"), "CX111"),
    Hostile("merge-key-with-alias",
            utf8("base: &base {a: 1}\nplan:\n  <<: *base\n  title: x\n"), "CX111"),
    Hostile("merge-key-plain", in_plan("  title: Acme CX plan", "  <<: {title: x}\n"
                                       "  title: Acme CX plan"), "CX201"),
    Hostile("flow-nesting-100k-brackets", lambda: b"[" * 100_000 + b"]" * 100_000, "CX104"),
    Hostile("flow-nesting-100k-braces", lambda: b"{a: " * 100_000 + b"}" * 100_000, "CX104"),
    Hostile("flow-nesting-100k-unclosed", lambda: b"[" * 100_000, "CX104"),
    Hostile("block-nesting-2k-sequences", lambda: b"- " * 2000 + b"x\n", "CX104"),
    Hostile("block-nesting-1k-mappings", lambda: nested_block_mappings(1000), "CX104"),
    Hostile("python-object-tag",
            utf8("plan: !!python/object/apply:os.system ['echo pwned']\n"), "CX112"),
    Hostile("python-name-tag", utf8("plan: !!python/name:os.system\n"), "CX112"),
    Hostile("set-tag", utf8("tags: !!set {a, b}\n"), "CX112"),
    Hostile("binary-tag", utf8("plan: !!binary aGVsbG8=\n"), "CX112"),
    Hostile("env-tag", utf8("plan:\n  title: !ENV SECRET_TOKEN\n"), "CX112"),
    Hostile("local-tag-on-mapping", utf8("plan: !thing {title: x}\n"), "CX112"),
    Hostile("several-documents", lambda: (plan() + "---\n" + plan()).encode(), "CX114"),
    Hostile("yaml-1.1-directive", lambda: ("%YAML 1.1\n---\n" + plan()).encode(), "CX118"),
    Hostile("tag-directive", lambda: ("%TAG !e! tag:example.com,2000:\n---\n" + plan()).encode(),
            "CX118"),
    Hostile("latin-1-bytes", lambda: plan().replace("Ana Ruiz", "Ana Ibáñez").encode("latin-1"),
            "CX101"),
    Hostile("utf-16-le-with-bom", lambda: b"\xff\xfe" + plan().encode("utf-16-le"), "CX101"),
    Hostile("utf-16-be-with-bom", lambda: b"\xfe\xff" + plan().encode("utf-16-be"), "CX101"),
    Hostile("utf-16-le-without-bom", lambda: plan().encode("utf-16-le"), "CX102"),
    Hostile("utf-8-encoded-surrogate", lambda: b"plan:\n  title: \xed\xa0\x80\n", "CX101"),
    Hostile("nul-bytes", lambda: plan().replace("Acme CX plan", "Acme\x00plan").encode(), "CX102"),
    Hostile("nul-byte-in-a-key", lambda: plan().replace("  title:", "  ti\x00tle:").encode(),
            "CX102"),
    Hostile("c1-control-character", in_plan("Ana Ruiz", "Ana\x9bRuiz"), "CX102"),
    Hostile("bidi-override-in-a-name", in_plan("Ana Ruiz", "Ana \u202eziuR"), "CX102"),
    Hostile("bidi-isolate-in-an-id", in_plan("  - id: a2", "  - id: a\u20662"), "CX102"),
    Hostile("noncharacter-fffe", in_plan("Ana Ruiz", "Ana\ufffeRuiz"), "CX102"),
    Hostile("line-separator-in-text", in_plan("Ana Ruiz", "Ana\u2028Ruiz"), "CX102"),
    Hostile("integer-5000-digits", in_plan("target: 95", "target: " + "9" * 5000), "CX117"),
    Hostile("float-exponent-overflow", in_plan("target: 95", "target: 1e999999"), "CX206"),
    Hostile("nan-in-a-number-field", in_plan("target: 95", "target: .nan"), "CX206"),
    Hostile("inf-in-a-number-field", in_plan("value: 88", "value: .inf"), "CX206"),
    Hostile("negative-inf-baseline", in_plan("target: 95", "target: 95\n    baseline: -.inf"),
            "CX206"),
    Hostile("two-megabytes", two_megabytes, "CX103"),
    Hostile("huge-single-line", huge_line, None, exit_code=None),
    Hostile("empty-file", lambda: b"", "CX115"),
    Hostile("only-whitespace", lambda: b"   \n\n  \n", "CX115"),
    Hostile("only-comments", lambda: b"# a plan\n# to be written\n", "CX115"),
    Hostile("empty-document", lambda: b"---\n...\n", "CX202"),
    Hostile("top-level-list", lambda: b"- plan\n- team\n", "CX202"),
    Hostile("top-level-scalar", lambda: b"just some text\n", "CX202"),
    Hostile("top-level-number", lambda: b"42\n", "CX202"),
    Hostile("nested-explicit-keys", lambda: b"? " * 5000 + b"a\n", "CX116"),
    Hostile("complex-key", utf8("? [a]\n: b\n"), "CX116"),
    Hostile("mapping-as-key", utf8("{a: 1}: b\n"), "CX116"),
    Hostile("number-as-key", in_plan("plan:", "1: x\nplan:"), "CX201"),
    Hostile("unterminated-double-quote", in_plan('unit: "%"', 'unit: "%'), "CX110"),
    Hostile("unterminated-single-quote", in_plan("title: Acme CX plan", "title: 'Acme"), "CX110"),
    Hostile("unclosed-flow-list", in_plan("title: Acme CX plan", "title: [Acme"), "CX110"),
    Hostile("ten-thousand-duplicate-keys",
            lambda: (plan() + "".join("kpis: []\n" for _ in range(10_000))).encode(), "CX113"),
    Hostile("hundred-thousand-tags",
            in_plan("  end: 2027-12-17\n",
                    "  end: 2027-12-17\n  tags: [" + ", ".join(["t"] * 100_000) + "]\n"),
            None, exit_code=None),
    Hostile("old-mac-line-endings", lambda: plan().replace("\n", "\r").encode(), None,
            exit_code=None),
    Hostile("file-name-not-a-plan-id", lambda: plan().encode(), "CX404"),
    Hostile("bom-then-valid-plan", lambda: b"\xef\xbb\xbf" + plan().encode(), None, exit_code=0),
    Hostile("crlf-valid-plan", lambda: plan().replace("\n", "\r\n").encode(), None, exit_code=0),
    Hostile("bom-and-crlf-valid-plan",
            lambda: b"\xef\xbb\xbf" + plan().replace("\n", "\r\n").encode(), None, exit_code=0),
]
# The file names of the valid cases must be valid plan ids; the one case about the file
# name uses an invalid one.
NAMES = {h.name: h.file_name for h in CORPUS}
NAMES["file-name-not-a-plan-id"] = "Not A Plan.yaml"


def run_cxplan(
    *args: str, cwd: Path, cpu_seconds: int = SECONDS, timeout: float = WALL_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    # `cwd` keeps the repository's own mkdocs.yml (read by validate) out of the test.
    return subprocess.run(
        [str(CXPLAN), *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=_limits(cpu_seconds),
        check=False, cwd=cwd,
    )


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(CORPUS) >= 30
    assert len(NAMES) == len(CORPUS)


# The helper: reads one JSON request per line, forks a child per request, answers with
# the child's fate. Only the standard library and the CLI are imported before forking.
FORK_SERVER = r"""
import json, os, resource, signal, sys, time
from cxplan.cli import main

def child(request):
    resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (request["seconds"], request["seconds"] + 1))
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = ["cxplan", *request["args"]]
    code = 0
    try:
        if request.get("code"):  # the harness's own test: run this instead
            exec(request["code"], {})
        else:
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.flush()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            child(request)
        finally:
            os._exit(70)
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > request["hang_guard"]:
            os.kill(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(0.002)
    answer = {
        "returncode": os.waitstatus_to_exitcode(status),
        "timed_out": timed_out,
        "wall": time.monotonic() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
    }
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
"""


@dataclass(frozen=True)
class Outcome:
    returncode: int
    timed_out: bool
    wall: float
    cpu: float
    stdout: str
    stderr: str


class ForkServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=folder,
        )
        self.count = 0

    def run(self, *args: str, code: str = "", hang_guard: float = HANG_GUARD) -> Outcome:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.count += 1
        out, err = self.folder / f"{self.count}.out", self.folder / f"{self.count}.err"
        request = {"args": list(args), "code": code, "stdout": str(out), "stderr": str(err),
                   "seconds": SECONDS, "memory": MEMORY, "hang_guard": hang_guard}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return Outcome(
            answer["returncode"], answer["timed_out"], answer["wall"], answer["cpu"],
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
        )

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def fork_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    server = ForkServer(tmp_path_factory.mktemp("fork-server"))
    yield server
    server.close()


def check_clean_ending(hostile: Hostile, path: Path, returncode: int, stdout: str,
                       stderr: str) -> None:
    # A negative return code is a signal (SIGSEGV, SIGKILL, SIGXCPU...): a crash.
    assert returncode in (0, 1), (returncode, stderr[-2000:])
    assert "Traceback" not in stdout + stderr
    assert stderr == ""
    payload = json.loads(stdout)
    assert payload["summary"]["files"] == 1
    if hostile.exit_code is not None:
        assert returncode == hostile.exit_code, payload["diagnostics"][:3]
    if returncode == 1:
        assert str(path) in stdout
        first = payload["diagnostics"][0]
        assert first["path"] == str(path)
        assert first["line"] >= 1 and first["column"] >= 1
        assert first["message"]
    if hostile.code is not None:
        assert payload["diagnostics"][0]["code"] == hostile.code, payload["diagnostics"][:3]


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_hostile_file_ends_cleanly(
    tmp_path: Path, fork_server: ForkServer, hostile: Hostile
) -> None:
    path = tmp_path / NAMES[hostile.name]
    path.write_bytes(hostile.content())
    outcome = fork_server.run("validate", str(path), "--format", "json")
    assert not outcome.timed_out, f"still running after {HANG_GUARD} s"
    check_clean_ending(hostile, path, outcome.returncode, outcome.stdout, outcome.stderr)


# A few of the corpus, from exec to exit through the installed console script (its
# ~0.6 s of imports are why the 2 s here are CPU seconds; see the module docstring).
THROUGH_THE_SCRIPT = ["alias-bomb", "flow-nesting-100k-brackets", "utf-16-le-with-bom",
                      "two-megabytes", "bom-then-valid-plan"]


@pytest.mark.parametrize("name", THROUGH_THE_SCRIPT)
def test_hostile_file_through_the_console_script(tmp_path: Path, name: str) -> None:
    hostile = next(h for h in CORPUS if h.name == name)
    path = tmp_path / NAMES[name]
    path.write_bytes(hostile.content())
    done = run_cxplan("validate", str(path), "--format", "json", cwd=tmp_path)
    check_clean_ending(hostile, path, done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize(("code", "fate"), [
    ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", -11),
    ("import time; time.sleep(30)", "timed out"),
    ("x = bytearray(2 * 1024 ** 3)", 70),  # MemoryError under the 512 MB limit
    ("raise SystemExit(1)", 1),
])
def test_the_fork_server_reports_crashes_and_hangs(
    fork_server: ForkServer, code: str, fate: int | str
) -> None:
    """The harness itself: a crash, a hang or a blown limit never looks like exit 0/1."""
    # The hang case gets a short guard of its own: a sleeping child uses no CPU, so
    # only the wall-clock guard can end it.
    outcome = fork_server.run(code=code, hang_guard=SECONDS if fate == "timed out" else HANG_GUARD)
    if fate == "timed out":
        assert outcome.timed_out and outcome.returncode == -9
        # Killed by the guard (not the CPU limit): it waited, it did not compute.
        assert outcome.wall >= SECONDS and outcome.cpu < SECONDS
    else:
        assert (outcome.returncode, outcome.timed_out) == (fate, False)


def test_text_output_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_bytes(billion_laughs())
    done = run_cxplan("validate", str(path), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith(f"{path}:1:4: error[CX111]: anchor '&a' is not allowed\n")
    assert "    hint: write the value out in full" in done.stdout


def test_github_output_survives_hostile_text(tmp_path: Path) -> None:
    """Newlines and '%' from a file never break out of one workflow command."""
    path = tmp_path / "percent.yaml"
    path.write_bytes(mutate(plan(), "support: neutral", 'support: "50%\\nnot: sure"').encode())
    done = run_cxplan("validate", str(path), "--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 1
    assert "50%25%0Anot" in commands[0]


# -- yaml-test-suite ---------------------------------------------------------------


def _suite() -> tuple[list[Path], set[str]]:
    if not (SUITE / "cases").is_dir():
        pytest.skip(
            f"the yaml-test-suite folder {SUITE} is absent (it sits beside the checkout as "
            "../shared/yaml-test-suite; CI always has it), so its cases are not run here"
        )
    cases = sorted((SUITE / "cases").glob("*.yaml"))
    must_fail = set((SUITE / "must-fail.txt").read_text(encoding="utf-8").split())
    return cases, must_fail


def test_yaml_test_suite_in_process() -> None:
    cases, must_fail = _suite()
    assert len(cases) >= 400 and len(must_fail) >= 90
    assert must_fail <= {case.stem for case in cases}
    wrong = []
    for case in cases:
        source, problems = load_file(case)
        if case.stem in must_fail:
            load_errors = [d for d in problems if d.code.startswith("CX1")]
            if not load_errors:
                wrong.append(f"{case.stem}: invalid YAML accepted")
            elif source.data is not None and not any(d.code == "CX113" for d in problems):
                wrong.append(f"{case.stem}: data kept after a fatal error")
        for d in problems:
            if d.line < 1 or d.column < 1 or not d.message:
                wrong.append(f"{case.stem}: {d} has no position or message")
        # The model layer must cope with whatever shape the YAML had.
        plan_file, found = load_plan(case)
        if plan_file is not None:
            wrong.append(f"{case.stem}: accepted as a plan")
        if found != sorted(set(found)):
            wrong.append(f"{case.stem}: diagnostics not sorted or repeated")
    assert not wrong, "\n".join(wrong)


def test_yaml_test_suite_through_the_console_script(tmp_path: Path) -> None:
    cases, _ = _suite()
    # One process for all 402 files: the per-file 2 s budget, summed, is far above this.
    done = run_cxplan(
        "validate", str(SUITE / "cases"), "--format", "json", cwd=tmp_path, cpu_seconds=20,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    payload = json.loads(done.stdout)
    assert payload["summary"]["files"] == len(cases)
    reported = {Path(d["path"]).name for d in payload["diagnostics"]}
    assert reported == {case.name for case in cases}


# -- random damage ------------------------------------------------------------------

SIGNIFICANT = ": -[]{}#&*!|>'\"%@`\t,?\n\\~0"


def damaged(seed: int) -> str:
    """The minimal plan with a few deterministic random edits of the kind typing makes."""
    rng = random.Random(seed)
    lines = plan().splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        action = rng.randrange(4)
        if action == 0:
            del lines[index]
        elif action == 1:
            lines.insert(index, lines[rng.randrange(len(lines))])
        else:
            line = lines[index]
            at = rng.randrange(len(line))
            char = rng.choice(SIGNIFICANT)
            lines[index] = line[:at] + char + line[at + (action == 3):]
    return "".join(lines)


def test_random_damage_never_raises(tmp_path: Path) -> None:
    """Hundreds of damaged plans through the whole model layer, in-process."""
    path = tmp_path / "damaged.yaml"
    outcomes: set[str] = set()
    for seed in range(400):
        text = damaged(seed)
        path.write_text(text, encoding="utf-8")
        plan_file, problems = load_plan(path)
        last_line = text.count("\n") + 1
        for d in problems:
            assert 1 <= d.line <= last_line and d.column >= 1, (seed, d)
            assert d.message and d.code.startswith("CX"), (seed, d)
        assert problems == sorted(set(problems)), seed
        assert (plan_file is None) == bool(problems), seed
        outcomes.update(d.code for d in problems)
    # The damage reaches every layer: syntax, schema, references and format rules.
    assert {"CX110", "CX200", "CX201", "CX202"} <= outcomes, outcomes
    assert any(code.startswith("CX3") for code in outcomes), outcomes
