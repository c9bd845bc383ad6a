"""How the app meets the network: the size limit on what is sent, HSTS, the proxies it believes, their settings."""

import html
import io
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
from flask import request
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from tracker import create_app
from tracker.security import HEADERS

from .client import CSRF_FIELD, HTTPS, PASSWORD, SAME_SITE, TrackerClient, post, sign_in

LIMIT = 2 * 1024 * 1024
HSTS = "max-age=31536000; includeSubDomains"


def words(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def configured_otherwise(app, **config):
    """Another app on the test's database, with these settings."""
    other = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "tracker.test",
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **config})
    other.test_client_class = TrackerClient
    return other


class Sent(io.RawIOBase):
    """A request body of `size` bytes ("a" after "a"), counting how many of them the server read."""

    def __init__(self, size: int):
        self.size, self.read_so_far = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.read_so_far)
        buffer[:count] = b"a" * count
        self.read_so_far += count
        return count


# ---- the size limit ----------------------------------------------------------------------

def test_a_post_over_the_limit_is_refused_with_a_page_saying_how_much_the_site_takes(client, seeded):
    response = client.post("/login", base_url=HTTPS, headers=SAME_SITE, data={"email": "x" * 3_000_000})
    assert response.status_code == 413
    said = words(response)
    assert "What was sent (2.9 MB) is more than this site takes in one request: at most 2 MB." in said
    assert "tracker import" not in said  # that is for editors
    for name, value in {**HEADERS, "Strict-Transport-Security": HSTS}.items():
        assert response.headers[name] == value, name


def test_an_editor_is_told_that_longer_texts_come_in_through_the_importer(client, seeded, editor):
    sign_in(client)
    url = "/disputes/china-latin-america-cooperation-2020/statements/new"
    response = post(client, url, {"title": "A long speech", "text": "word " * 600_000})
    assert response.status_code == 413
    assert ("A longer statement text comes in through the importer: put it in a dispute bundle and run "
            "“tracker import” (the README says how).") in words(response)


def posted(client, body, headers: dict, **environ):
    """A form posted with this body as the server hands it over (the test client would measure a body itself)."""
    built = EnvironBuilder(path="/login", base_url=HTTPS, method="POST", headers={**SAME_SITE, **headers},
                           content_type="application/x-www-form-urlencoded").get_environ()
    built.pop("CONTENT_LENGTH", None)
    built.update({"wsgi.input": body, **environ})
    return client.open(Request(built))


def test_a_body_over_the_limit_is_refused_from_its_content_length_without_reading_it(client):
    body = Sent(100 * 1024 * 1024)
    response = posted(client, body, {}, CONTENT_LENGTH=str(body.size))
    assert response.status_code == 413
    assert "What was sent (100 MB) is more than this site takes" in words(response)
    assert body.read_so_far == 0


def test_a_body_sent_in_chunks_is_read_no_further_than_the_limit(client):
    """No Content-Length (Transfer-Encoding: chunked): refused once the limit is passed, not after 100 MB."""
    body = Sent(100 * 1024 * 1024)
    # wsgi.input_terminated: the server ends the stream where the body ends, as gunicorn does.
    response = posted(client, body, {"Transfer-Encoding": "chunked"}, **{"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert "is more than this site takes in one request: at most 2 MB." in words(response)
    assert LIMIT < body.read_so_far <= LIMIT + 1


@pytest.mark.parametrize("extra, status", [(0, 302), (1, 413)])
def test_a_form_sent_in_chunks_up_to_the_limit_is_read_whole(client, editor, app, monkeypatch, extra, status):
    """Werkzeug alone cuts such a body at the limit without a word: the form would be read cut short."""
    form = urlencode({"email": "editor@example.org", "password": PASSWORD, CSRF_FIELD: client.csrf_token()})
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", len(form) - extra)
    response = posted(client, io.BytesIO(form.encode()), {"Transfer-Encoding": "chunked"},
                      **{"wsgi.input_terminated": True})
    assert response.status_code == status


def test_a_long_text_field_is_read_up_to_the_limit_in_a_multipart_form_too(client, seeded, editor):
    """Flask caps one multipart text field at 500 kB of its own accord: the site's limit is the one that holds."""
    sign_in(client)
    fields = {"slug": "long", "title": "Long", "summary": "x" * 1_000_000, "status": "open", "version": "0",
              CSRF_FIELD: client.csrf_token()}
    body = "".join(f'--limit\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                   for name, value in fields.items()) + "--limit--\r\n"  # the test client would spool it to a file
    response = client.post("/disputes/new", base_url=HTTPS, headers={"Referer": f"{HTTPS}/disputes/new"},
                           data=body.encode(), content_type="multipart/form-data; boundary=limit")
    assert response.status_code == 400
    assert "Summary: Is 1,000,000 characters long; at most 20,000 are allowed." in words(response)


def test_gunicorn_refuses_a_large_body_from_its_headers_and_a_chunked_one_at_the_limit(tmp_path):
    """Through the production server, as the issue probed it: the refusal comes before the body is sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # No database is touched on the way to a 413; the secret and the database are throwaway ones.
    environment = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
                   "TRACKER_SECRET_KEY": "test"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                               "tracker:create_app()"], env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        connect = lambda: socket.create_connection(("127.0.0.1", port), timeout=10)  # noqa: E731
        for _ in range(100):
            try:
                connect().close()
                break
            except OSError:
                time.sleep(0.1)
        head = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        with connect() as announced:  # 100 MB announced, none of it sent
            announced.sendall(f"{head}Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode())
            assert announced.recv(100).startswith(b"HTTP/1.1 413 ")
        with connect() as chunked:  # chunks of 64 kB until the answer comes
            chunked.sendall(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
            sent, chunk = 0, b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
            chunked.settimeout(0.01)
            answer = b""
            while not answer and sent < 20 * LIMIT:
                try:
                    chunked.sendall(chunk)
                    sent += 0x10000
                    answer = chunked.recv(100)
                except TimeoutError:
                    continue
                except OSError:  # the server closed the connection: its answer is waiting
                    break
            chunked.settimeout(10)
            answer = answer or chunked.recv(100)
            assert answer.startswith(b"HTTP/1.1 413 ")
            assert sent < 2 * LIMIT  # what was sent when the answer came, socket buffers included
    finally:
        server.terminate()  # the master stops its worker
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---- HSTS ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, status", [("/", 200), ("/static/style.css", 200), ("/nowhere", 404),
                                         ("/disputes/%00", 400)])
def test_every_answer_tells_browsers_to_come_back_over_https_only(client, seeded, url, status):
    response = client.get(url, base_url=HTTPS)
    assert response.status_code == status
    assert response.headers["Strict-Transport-Security"] == HSTS  # a year, subdomains too, no preload
    response.close()


def test_no_hsts_when_cookies_go_over_plain_http(monkeypatch, app):
    monkeypatch.setenv("TRACKER_INSECURE_COOKIES", "1")
    local = configured_otherwise(app)
    response = local.test_client().get("/nowhere")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]


# ---- proxies ---------------------------------------------------------------------------

def seen_by(app) -> dict:
    """What the app believes of a request from a client, its address and scheme, when asked through `app`."""
    app.add_url_rule("/_seen", "seen", lambda: {"address": request.remote_addr, "scheme": request.scheme,
                                                "host": request.host, "root": request.script_root})
    return app


# A client at 203.0.113.7 claiming to be 6.6.6.6, through one proxy (nginx) that adds what it saw.
ONE_PROXY = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}
# A client at 6.6.6.6 through two: the outer one (TLS) adds the client, the inner one the outer.
TWO_PROXIES = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https, http"}


@pytest.mark.parametrize("proxies, sent, address, scheme", [
    (0, ONE_PROXY, "127.0.0.1", "http"),  # nothing believed: every reader is the proxy (to the sign-in throttle too)
    (1, ONE_PROXY, "203.0.113.7", "https"),  # what the proxy saw; the client's own claim is not believed
    (2, TWO_PROXIES, "6.6.6.6", "https"),
])
def test_the_app_believes_as_many_proxies_as_it_is_told(app, proxies, sent, address, scheme):
    behind = seen_by(configured_otherwise(app, TRUSTED_PROXIES=proxies))
    forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "8443", "X-Forwarded-Prefix": "/evil"}
    response = behind.test_client().get("/_seen", base_url="http://tracker.test",
                                        environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={**sent, **forged})
    assert response.json == {"address": address, "scheme": scheme, "host": "tracker.test", "root": ""}


def test_behind_a_trusted_proxy_csrf_checks_the_referer_of_a_request_made_over_https(app, editor):
    """X-Forwarded-Proto believed: a form posted over HTTPS must come from this site, as Flask-WTF checks."""
    behind = configured_otherwise(app, TRUSTED_PROXIES=1)
    client = behind.test_client()
    response = client.post("/login", base_url="http://tracker.test", data={
        "email": "editor@example.org", "password": PASSWORD, CSRF_FIELD: client.csrf_token()}, headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "Referer": "https://elsewhere.example/"})
    assert response.status_code == 400
    assert "The referrer does not match the host." in words(response)


# ---- settings --------------------------------------------------------------------------

def test_the_limit_and_the_proxies_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_MAX_CONTENT_LENGTH", "1048576")
    monkeypatch.setenv("TRACKER_TRUSTED_PROXIES", "1")
    configured = create_app({"SECRET_KEY": "x"})
    assert configured.config["MAX_CONTENT_LENGTH"] == configured.config["MAX_FORM_MEMORY_SIZE"] == 1048576
    assert configured.config["TRUSTED_PROXIES"] == 1


def test_by_default_the_limit_is_2_mb_and_no_proxy_is_believed(monkeypatch):
    monkeypatch.delenv("TRACKER_MAX_CONTENT_LENGTH", raising=False)
    monkeypatch.delenv("TRACKER_TRUSTED_PROXIES", raising=False)
    configured = create_app({"SECRET_KEY": "x"})
    assert configured.config["MAX_CONTENT_LENGTH"] == LIMIT and configured.config["TRUSTED_PROXIES"] == 0


@pytest.mark.parametrize("name, value", [("TRACKER_TRUSTED_PROXIES", "one"), ("TRACKER_TRUSTED_PROXIES", "-1"),
                                         ("TRACKER_MAX_CONTENT_LENGTH", "2MB"), ("TRACKER_MAX_CONTENT_LENGTH", "0")])
def test_a_setting_that_is_not_a_number_stops_the_app_saying_so(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=f"{name} must be a whole number, at least [01]; it is '{value}'"):
        create_app({"SECRET_KEY": "x"})
