"""The tracker's own commands: import and export of bundles, and accounts (tracker/__main__.py runs them)."""

import sys
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import backup
from .bundles import BundleError, bundle_folders, export_bundle, import_bundle
from .core import By, Invalid
from .core.accounts import create_account
from .core.edits import CorrectionNote
from .core.links import record_link_checks
from .db import begin_write, db
from .links.check import Fetcher, Limits, Summary, check_row, links_to_check, policy_of, run_checks
from .models import CorrectionKind, Dispute, Role


def init_app(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(user_group)
    app.cli.add_command(links_group)
    backup.init_app(app)


@click.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.contributor.value, show_default=True)
@click.option("--name", default="", help="The name shown on pages (default: the part of EMAIL before @).")
@click.password_option(help="Asked for when not given (at least 12 characters).")
def create_user_command(email: str, role: str, name: str, password: str) -> None:
    """Create an account; the password is asked for twice, never shown."""
    begin_write()
    try:
        user = create_account(email, name, role, password, by=By.machine("command line"))
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error}") from None
    click.echo(f"created {user.role.value} {user.email}")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--correction", "kind", type=click.Choice([k.value for k in CorrectionKind]),
              help="The kind of change, for entries that change published wording and name none of their own.")
@click.option("--reason", help="Why, shown to readers with the correction (with --correction).")
def import_command(paths: tuple[Path, ...], kind: str | None, reason: str | None) -> None:
    """Import dispute bundles (a bundle folder, or a folder of bundles).

    Each bundle is one transaction: a bad one changes nothing and is reported
    with its file, entry and field; the others still load. Every change is a
    revision authored by the import. Changing published wording is a public
    correction: give it in the entry (correction = { kind = "...", reason = "..." })
    or for the whole import with --correction and --reason.
    """
    correction = correction_note(kind, reason)
    failed = 0
    for folder in [f for path in paths for f in folders_or_report(path)]:
        try:
            begin_write()
            with progress_bar(f"{folder}: writing") as progress:
                report = import_bundle(folder, correction=correction, progress=progress)
            db.session.commit()
        except BundleError as error:
            db.session.rollback()
            failed += 1
            click.echo(f"{folder}: not imported, nothing changed:", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            continue
        click.echo(f"{folder}: imported dispute {report.dispute.slug!r}: {report.summary()}")
        for note in report.notes:
            click.echo(f"  note: {note}")
    if failed:
        raise click.exceptions.Exit(1)


@contextmanager
def progress_bar(label: str):
    """progress(done, total) drawing a bar on stderr when it is a terminal; None (nothing shown) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
        bar.update(done - bar.pos)  # back to the start if a refused entry makes the import run again

    try:
        yield progress
    finally:
        if bar is not None:
            bar.render_finish()


def correction_note(kind: str | None, reason: str | None) -> CorrectionNote | None:
    if kind is None and reason is None:
        return None
    if kind is None or not (reason or "").strip():
        raise click.UsageError("--correction and --reason go together: the kind of change, and why")
    try:
        return CorrectionNote.of(kind, reason)
    except Invalid as error:
        raise click.UsageError(f"--reason: {error}") from None


def folders_or_report(path: Path) -> list[Path]:
    try:
        return bundle_folders(path)
    except BundleError as error:
        raise click.ClickException(str(error)) from None


@click.command("export")
@click.argument("slug")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--all", "everything", is_flag=True,
              help="Also write what readers do not see (pending, rejected, deleted, merged) with its state.")
def export_command(slug: str, folder: Path, everything: bool) -> None:
    """Write the dispute SLUG as a bundle into FOLDER: what readers see, or with --all everything."""
    dispute = db.session.scalar(sa.select(Dispute).where(Dispute.slug == slug))
    if dispute is None:
        raise click.ClickException(f'no dispute with the slug "{slug}"')
    if dispute.deleted_at is not None and not everything:
        raise click.ClickException(f'the dispute "{slug}" is deleted, so readers see nothing of it: export it with '
                                   "--all to keep it with its state")
    path = export_bundle(dispute, folder, everything=everything)
    click.echo(f"wrote {path}" + (" (everything, with its editorial state)" if everything else
                                  " (what readers see)"))


LINK_BATCH = 100  # results written per transaction: short ones, as SQLite has one writer at a time


@click.group("links")
def links_group() -> None:
    """Check evidence links and statement sources."""


@links_group.command("check")
@click.option("--dispute", "slug", help="Only the links of the dispute with this slug.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Links checked at once.")
@click.option("--timeout", type=click.FloatRange(0.1, 300), default=20.0, show_default=True,
              help="Seconds for one link, redirects included.")
@with_appcontext
def check_links_command(slug: str | None, concurrency: int, timeout: float) -> None:
    """Check every evidence link and statement source; record each one's status, redirects and type.

    Only public addresses are asked, on the ports TRACKER_LINKS_PORTS allows (80 and 443 unless set).
    """
    dispute = None
    if slug is not None:
        dispute = db.session.scalar(sa.select(Dispute).where(Dispute.slug == slug))
        if dispute is None:
            raise click.ClickException(f'--dispute: no dispute with the slug "{slug}"')
    links = links_to_check(dispute)
    db.session.rollback()  # no transaction stays open while the links are fetched
    limits = Limits(connect=min(5.0, timeout), read=min(10.0, timeout), total=timeout)
    fetcher = Fetcher(policy_of(current_app), limits)
    summary, batch = Summary(), []
    with progress_bar("checking links") as progress:
        for done, (link, result) in enumerate(run_checks(links, fetcher, concurrency), 1):
            summary.add(result)
            batch.append(check_row(link, result))
            if len(batch) >= LINK_BATCH:
                record_batch(batch)
            if progress:
                progress(done, len(links))
        record_batch(batch)
    click.echo(f"links: {summary.line()}")


def record_batch(batch: list[dict]) -> None:
    """Write the batch in a transaction of its own, and empty it."""
    if batch:
        begin_write()
        record_link_checks(batch)
        db.session.commit()
        batch.clear()
