"""Set up `.venv` and run every check: ruff format, ruff lint, mypy and pytest.

Usage: python3 scripts/check.py [PYTEST ARGUMENTS]

Arguments go to pytest, such as `-k search` or `--snapshot-update`. The script exits
with the first failing check's status.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTEST_NO_TESTS_COLLECTED = 5


def main(pytest_arguments: list[str]) -> int:
    install()

    for check in (
        ["ruff", "format", "--check", "."],
        ["ruff", "check", "."],
        ["mypy"],
    ):
        status = run(check)
        if status != 0:
            return status

    return run_pytest(pytest_arguments)


def install() -> None:
    if not (BIN / "python").exists():
        print(f"Creating {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run(
        [*pip, "-c", "constraints.txt", "-e", ".[test]"], cwd=ROOT, check=True
    )


def run(command: list[str]) -> int:
    print(f"$ {' '.join(command)}", flush=True)
    executable = str(BIN / command[0])
    return subprocess.run([executable, *command[1:]], cwd=ROOT).returncode


def run_pytest(arguments: list[str]) -> int:
    status = run(["python", "-m", "pytest", *arguments])
    if status != PYTEST_NO_TESTS_COLLECTED:
        return status
    if arguments:
        print("No test matched those pytest arguments.")
        return 0
    print("pytest collected no tests: the suite is missing or broken.")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
