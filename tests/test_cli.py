"""The command's shell: exit codes and help, as a user meets them."""

import subprocess
import sys

from cxplan import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxplan", *args], capture_output=True, text=True, timeout=60
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_usage_error_exits_2_without_traceback() -> None:
    result = run("validate", "--format", "xml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "xml" in result.stderr


def test_bad_as_of_date_is_a_usage_error() -> None:
    result = run("validate", "--as-of", "2026-02-30")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_missing_path_is_reported_with_exit_1(tmp_path) -> None:
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "nope.yaml:1:1: error[CX100]" in result.stdout
