"""The tracker: follows public disputes, claim by claim."""

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

PACKAGE = Path(__file__).resolve().parent
# Templates live at the top of the repository; an installed wheel carries them inside the package.
TEMPLATES = next(p for p in (PACKAGE.parent / "templates", PACKAGE / "templates") if p.is_dir())


def create_app(config: dict | None = None) -> "Flask":
    """Build the application: configuration, database, pages, commands."""
    from flask import Flask  # here, not above: `tracker --help` imports this package and lists commands without it

    from . import settings

    app = Flask(__name__, template_folder=str(TEMPLATES), instance_relative_config=True)
    settings.load(app, config)

    from . import (
        actors,
        admin,
        api,
        auth,
        caching,
        claimreview,
        claims,
        cli,
        database,
        disputes,
        editor,
        errors,
        exports,
        feeds,
        guard,
        maps,
        search,
        security,
        site,
        statements,
        templating,
    )

    database.init_app(app)
    errors.init_app(app)
    guard.init_app(app)  # before security: its converter before any route, its checks before CSRF's
    security.init_app(app)
    caching.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    site.init_app(app)
    for feature in (disputes, statements, claims, actors, maps, search, auth, editor, admin, feeds, exports,
                    claimreview, api):
        app.register_blueprint(feature.bp)
    return app
