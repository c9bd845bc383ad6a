"""Dispute bundles: a folder with dispute.toml and the statements' texts beside it.

Importing reads and checks the whole bundle first (read.py), then writes it through the
write core (write.py), one revision per change, authored by the import. Exporting (export.py)
writes what readers see, or with `everything` the editorial state too.
"""

from pathlib import Path

from tracker.core import By
from tracker.core.edits import CorrectionNote

from .export import export_bundle
from .read import BUNDLE_FILE, BundleError, Plan, read_bundle
from .write import Report, write_plan

__all__ = ["BUNDLE_FILE", "BundleError", "Plan", "Report", "bundle_folders", "export_bundle", "import_bundle",
           "read_bundle", "write_plan"]


def bundle_folders(path: Path) -> list[Path]:
    """The bundle at `path`, or the bundles in the folders right under it."""
    if (path / BUNDLE_FILE).is_file():
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if (p / BUNDLE_FILE).is_file())
        if found:
            return found
    raise BundleError([f"{path}: no {BUNDLE_FILE} here or in the folders right under it"])


def import_bundle(folder: Path, by: By | None = None, correction: CorrectionNote | None = None,
                  progress=None) -> Report:
    """Check the bundle in `folder`, then write it into the session (no commit), by `by` (the import, by default).

    `progress(done, total)` hears how many of the bundle's entries are written."""
    plan = read_bundle(folder)
    return write_plan(plan, by or By.machine(f'import of bundle "{folder.name}"'), correction, progress)
