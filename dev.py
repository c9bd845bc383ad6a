"""The two quick-start commands, needing nothing but Python 3.11+.

    python3 dev.py run     set up, load the seed dispute, serve http://127.0.0.1:5000
    python3 dev.py test    set up, run the test suite (extra arguments go to pytest)

Setting up means: a virtual environment in .venv with the tracker installed
in it (again only when pyproject.toml has changed since the last time).
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".tracker-installed"


def sh(*args: str | Path) -> None:
    """Run a command from the repository root; stop here if it fails."""
    print("+", " ".join(map(str, args)), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def setup() -> None:
    """Create .venv and install the tracker with its test tools, if not already done."""
    if sys.version_info < (3, 11):
        sys.exit(f"The tracker needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print(f"+ creating a virtual environment in {VENV}", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except subprocess.CalledProcessError:
            sys.exit("Could not create a virtual environment with pip. On Debian or Ubuntu: apt install python3-venv")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--editable", ".[test]")
    STAMP.write_text(wanted)


def run() -> None:
    setup()
    sh(BIN / "tracker", "db", "upgrade")
    sh(BIN / "tracker", "import", "seeds")
    print("Serving the tracker at http://127.0.0.1:5000 (Ctrl+C stops it)", flush=True)
    os.chdir(ROOT)
    os.environ["TRACKER_INSECURE_COOKIES"] = "1"  # plain HTTP on this machine only
    os.execv(BIN / "tracker", [str(BIN / "tracker"), "run", "--host", "127.0.0.1", "--port", "5000"])


def test(pytest_args: list[str]) -> None:
    setup()
    os.chdir(ROOT)
    os.execv(BIN / "python", [str(BIN / "python"), "-m", "pytest", *pytest_args])


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "run" and not rest:
        run()
    elif command == "test":
        test(rest)
    else:
        sys.exit(__doc__)
