"""Security defaults: CSRF on every form, strict cookies, response headers (HSTS with Secure cookies), the proxies
believed, safe redirects."""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app
from flask_login import AnonymousUserMixin, LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix


class Reader(AnonymousUserMixin):
    """A visitor who has not signed in: may read, may change nothing."""

    def can(self, role) -> bool:
        return False


csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see this page."
login_manager.anonymous_user = Reader

# No inline script or style anywhere: what a page needs comes from /static.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
# Sent with Secure cookies: browsers then come back over HTTPS only, for a year, subdomains too (no preload).
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    app.after_request(add_headers)
    if app.config["TRUSTED_PROXIES"]:
        # The client's address (the sign-in throttle counts by it) and scheme, as the proxies in front say;
        # their Host header is the client's already, and the site lives at /.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no //host, /\\host, scheme or control character."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None
