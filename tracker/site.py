"""Addresses of the site itself rather than of a feature: the icon browsers ask for on every page."""

from flask import Flask, current_app, send_from_directory

WEEK = 7 * 24 * 3600


def init_app(app: Flask) -> None:
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon():
    """Browsers ask /favicon.ico whatever a page links to (pages link the SVG one)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=WEEK)
