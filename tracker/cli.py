"""The `tracker` command: Flask's commands plus import and export of bundles."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import FlaskGroup

from . import backup
from .bundles import BundleError, bundle_folders, export_bundle, import_bundle
from .db import begin_write, db
from .auth.services import create_user
from .models import Dispute, Role


def main() -> None:
    """Entry point of the `tracker` console script."""
    from . import create_app

    FlaskGroup(create_app=create_app, help="Follow public disputes: import, export, serve.")(prog_name="tracker")


def init_app(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(user_group)
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
        user = create_user(email, name, Role(role), password)
        db.session.commit()
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"created {user.role.value} {user.email}")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import dispute bundles (a bundle folder, or a folder of bundles).

    Each bundle is one transaction: a bad one changes nothing and is reported
    with its file, entry and field; the others still load.
    """
    failed = 0
    for folder in [f for path in paths for f in folders_or_report(path)]:
        try:
            begin_write()
            slug = import_bundle(folder).slug
            db.session.commit()
        except BundleError as error:
            db.session.rollback()
            failed += 1
            click.echo(f"{folder}: not imported, nothing changed:", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
        else:
            click.echo(f"{folder}: imported dispute {slug!r}")
    if failed:
        raise click.exceptions.Exit(1)


def folders_or_report(path: Path) -> list[Path]:
    try:
        return bundle_folders(path)
    except BundleError as error:
        raise click.ClickException(str(error)) from None


@click.command("export")
@click.argument("slug")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_command(slug: str, folder: Path) -> None:
    """Write the dispute SLUG as a bundle into FOLDER."""
    dispute = db.session.scalar(sa.select(Dispute).where(Dispute.slug == slug))
    if dispute is None:
        raise click.ClickException(f'no dispute with the slug "{slug}"')
    path = export_bundle(dispute, folder)
    click.echo(f"wrote {path}")
