"""The test client as a browser on this site: over HTTPS, a same-site Referer, and its own CSRF token."""

import hashlib
import os

import flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

HTTPS = "https://tracker.test"
PASSWORD = "correct horse battery staple"
# Over HTTPS, CSRF protection also checks that a POST comes from this site, as browsers say.
SAME_SITE = {"Referer": f"{HTTPS}/login"}
CSRF_FIELD = "csrf_token"
CSRF_SALT = "wtf-csrf-token"  # what Flask-WTF signs its tokens with (flask_wtf.csrf.generate_csrf)


class TrackerClient(FlaskClient):
    """A test client that knows its CSRF token without scraping a page for it."""

    def open(self, *args, **kwargs):
        # pytest-flask keeps one app context pushed for the whole test and requests reuse it; Flask-Login
        # caches the signed-in user there (g._login_user) and Flask-WTF the signed token (g.csrf_token).
        # Forget both before each request, as a server would, so that each client is itself.
        if flask.has_app_context():
            flask.g.pop("_login_user", None)
            flask.g.pop(CSRF_FIELD, None)
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """The token a form of this site would carry for this client, made the way Flask-WTF makes it:
        a random value kept in the client's session (put there now if no form page did it yet),
        signed with the app's secret key."""
        with self.session_transaction(base_url=HTTPS) as session:
            raw = session.setdefault(CSRF_FIELD, hashlib.sha1(os.urandom(64)).hexdigest())
        config = self.application.config
        secret = config.get("WTF_CSRF_SECRET_KEY") or config["SECRET_KEY"]
        return URLSafeTimedSerializer(secret, salt=CSRF_SALT).dumps(raw)


def get(client, url, status=200) -> str:
    """A page, fetched over HTTPS like a browser, checked for its status."""
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def post(client, url, data=None, page_url=None):
    """Submit like a browser: with this client's CSRF token (unless the data carries a form's own),
    and a Referer naming the page the form is on (the form's own address unless said)."""
    data = dict(data or {})
    if CSRF_FIELD not in data:
        data[CSRF_FIELD] = client.csrf_token()
    return client.post(url, base_url=HTTPS, headers={"Referer": HTTPS + (page_url or url)}, data=data)


def sign_in(client, email="editor@example.org", password=PASSWORD, next_url="", address="192.0.2.1"):
    return client.post("/login", base_url=HTTPS, environ_base={"REMOTE_ADDR": address}, headers=SAME_SITE,
                       data={"email": email, "password": password, "next": next_url,
                             CSRF_FIELD: client.csrf_token()})
