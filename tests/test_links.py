"""The link checker: what it records about links, and the guard that keeps it off non-public addresses.

Only the local test server on 127.0.0.1 is ever connected to. Every other address goes to stubs: the
resolver answers from a table, and the connection layer records the hop and raises instead of
connecting, so a broken guard fails the test without sending anything. Under all of it, a tripwire
refuses any real socket connection or DNS lookup beyond the test server.
"""

import contextlib
import datetime as dt
import io
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
import trustme
import urllib3.util.connection
from flask_migrate import upgrade

from tracker import cli, create_app
from tracker.core.links import record_link_checks
from tracker.db import WRITE_OPTION, db
from tracker.links import fetch
from tracker.links.check import Link, policy_of, run_checks
from tracker.links.fetch import Answer, Fetcher, Limits
from tracker.links.guard import Policy
from tracker.models import LinkCheck, Stance

from . import factories
from .database import count_queries, make_app

REAL_RESOLVE, REAL_SEND = fetch.resolve, fetch.send  # kept: tests replace the module's own
SLOW = 1.5  # seconds the slow page takes; the checks wait far less
LIMITS = Limits(connect=1.0, read=0.4, total=2.0, redirects=5)


class Pages(BaseHTTPRequestHandler):
    """The local server's pages: each path answers as its name says."""

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, with_body: bool):
        self.server.seen.append((self.command, self.path, self.headers.get("Host")))
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        routes = {
            "/ok": (200, {"Content-Type": "text/html; charset=utf-8"}),
            "/report.pdf": (200, {"Content-Type": "application/pdf"}),
            "/old": (301, {"Location": "/moved"}),
            "/moved": (302, {"Location": f"http://127.0.0.1:{self.server.server_port}/ok"}),
            "/gone": (404, {"Content-Type": "text/html"}),
            "/loop": (302, {"Location": "/loop"}),
            "/to": (302, {"Location": query.get("u", ["/ok"])[0]}),
        }
        if path == "/no-head" and self.command == "HEAD":
            status, headers = 405, {"Allow": "GET"}
        elif path == "/no-head":
            status, headers = 200, {"Content-Type": "text/plain"}
        elif path == "/slow":
            time.sleep(SLOW)
            status, headers = 200, {"Content-Type": "text/plain"}
        else:
            status, headers = routes.get(path, (404, {}))
        body = b"x" * 100_000 if with_body else b""
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the checker hangs up after the head: it reads no body

    def log_message(self, *args):
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping on /slow does not hold up the shutdown

    def server_bind(self):
        """As HTTPServer's, without asking a reverse lookup for the server's name."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


@contextlib.contextmanager
def serving(httpd: LocalServer):
    """httpd answering from a thread for the duration, then shut down."""
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 (an ephemeral port), shut down after the test."""
    httpd = LocalServer(("127.0.0.1", 0), Pages)
    httpd.seen = []
    with serving(httpd):
        yield httpd


@pytest.fixture(autouse=True)
def tripwire(monkeypatch):
    """No DNS lookup and no socket connection except to 127.0.0.1, whatever the code under test does."""
    attempts = []
    real_connect, real_lookup = urllib3.util.connection.create_connection, socket.getaddrinfo

    def connect(address, *args, **kwargs):
        if address[0] != "127.0.0.1":
            attempts.append(address)
            raise AssertionError(f"a connection to {address} was attempted")
        return real_connect(address, *args, **kwargs)

    def lookup(host, *args, **kwargs):
        if host == "127.0.0.1":  # an address, not a name: answered without asking DNS
            return real_lookup(host, *args, **kwargs)
        attempts.append(host)
        raise AssertionError(f"a DNS lookup of {host} was attempted")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    yield attempts
    assert attempts == []


class Sender:
    """The connection layer as the tests see it: hops to the local server go through; any other hop is
    recorded and refused, without connecting."""

    def __init__(self, server=None):
        self.port = server.server_port if server else None
        self.hops, self.stopped = [], []

    def __call__(self, hop: fetch.Hop) -> Answer:
        self.hops.append(hop)
        if hop.ip == "127.0.0.1" and hop.port == self.port:
            return REAL_SEND(hop)
        self.stopped.append(hop)
        raise AssertionError(f"the guard let through a hop to {hop.ip}:{hop.port}")


def resolver(table: dict[str, list[str]]):
    """A resolver answering from `table`; an address in the link is itself, as the real one does."""
    asked = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host in table:
            return table[host]
        return REAL_RESOLVE(host, port)  # the tripwire stops it if it would ask DNS

    resolve.asked = asked
    return resolve


def local_fetcher(server, sender=None, names=None, allow_test_server=True) -> Fetcher:
    """A fetcher that may go to the local server, and by its ports (80, 443 and the server's) elsewhere."""
    port = server.server_port
    policy = Policy(ports=frozenset({80, 443, port}), test_server_port=port if allow_test_server else None)
    return Fetcher(policy, LIMITS, resolver=resolver(names or {}), sender=sender or Sender(server))


def at(server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_port}{path}"


# What the checker records, from the local server.

def test_a_page_that_answers_is_ok_with_its_status_type_and_time(server):
    before = dt.datetime.now(dt.UTC)
    result = local_fetcher(server).check(at(server, "/report.pdf"))
    assert (result.status, result.error, result.redirects) == (200, None, [])
    assert result.content_type == "application/pdf"
    assert result.final_url == at(server, "/report.pdf")
    assert before <= result.checked_at <= dt.datetime.now(dt.UTC)
    assert server.seen == [("HEAD", "/report.pdf", f"127.0.0.1:{server.server_port}")]


def test_redirects_are_followed_one_by_one_and_recorded_in_order(server):
    result = local_fetcher(server).check(at(server, "/old"))
    assert result.redirects == [at(server, "/moved"), at(server, "/ok")]
    assert (result.status, result.final_url, result.content_type) == (200, at(server, "/ok"), "text/html; charset=utf-8")
    assert [path for _, path, _ in server.seen] == ["/old", "/moved", "/ok"]


def test_a_missing_page_is_dead_with_its_status(server):
    result = local_fetcher(server).check(at(server, "/gone"))
    assert (result.status, result.error) == (404, None)


def test_a_slow_page_times_out_without_waiting_for_it(server):
    started = time.monotonic()
    result = local_fetcher(server).check(at(server, "/slow"))
    assert (result.status, result.error) == (None, "timeout")
    assert time.monotonic() - started < SLOW


def test_a_server_refusing_head_is_asked_with_get(server):
    result = local_fetcher(server).check(at(server, "/no-head"))
    assert (result.status, result.content_type) == (200, "text/plain")
    assert [method for method, _, _ in server.seen] == ["HEAD", "GET"]


def test_redirects_stop_after_the_limit(server):
    result = local_fetcher(server).check(at(server, "/loop"))
    assert result.error == "more than 5 redirects"
    assert len(server.seen) == 6 and result.status == 302


def test_without_the_test_allowance_even_127_0_0_1_is_refused(server):
    sender = Sender(server)
    result = local_fetcher(server, sender=sender, allow_test_server=False).check(at(server, "/ok"))
    assert result.error == "refused: loopback address 127.0.0.1"
    assert sender.hops == [] and server.seen == []


@pytest.fixture
def tls_server(monkeypatch):
    """The same pages over TLS on 127.0.0.1, with a certificate for news.example from a test authority
    that the checker trusts (SSL_CERT_FILE); it records the name each client asked for (SNI)."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("news.example").configure_cert(context)
    names = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    httpd = LocalServer(("127.0.0.1", 0), Pages)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.seen, httpd.names = [], names
    with authority.cert_pem.tempfile() as ca_file, serving(httpd):
        monkeypatch.setenv("SSL_CERT_FILE", ca_file)
        yield httpd


def test_https_goes_to_the_vetted_address_with_the_links_name_for_tls_and_host(tls_server):
    port = tls_server.server_port
    fetcher = local_fetcher(tls_server, names={"news.example": ["127.0.0.1"]})
    result = fetcher.check(f"https://news.example:{port}/ok")
    assert (result.status, result.error) == (200, None)
    assert tls_server.names == ["news.example"]
    assert tls_server.seen == [("HEAD", "/ok", f"news.example:{port}")]


def test_a_certificate_for_another_name_is_a_dead_link(tls_server):
    fetcher = local_fetcher(tls_server, names={"elsewhere.example": ["127.0.0.1"]})
    result = fetcher.check(f"https://elsewhere.example:{tls_server.server_port}/ok")
    assert result.error == "TLS error: hostname 'elsewhere.example' doesn't match 'news.example'"
    assert result.status is None
    assert tls_server.seen == []


# Addresses the guard refuses, before anything connects.

PUBLIC = "93.184.216.34"


@pytest.mark.parametrize("answers, reason", [
    (["127.0.0.1"], "loopback address 127.0.0.1"),
    (["169.254.169.254"], "link-local address 169.254.169.254"),
    (["::1"], "loopback address ::1"),
    (["10.1.2.3"], "private address 10.1.2.3"),
    (["::ffff:10.0.0.1"], "private address ::ffff:a00:1"),
    (["100.64.0.1"], "shared address space address 100.64.0.1"),
    (["224.0.0.251"], "multicast address 224.0.0.251"),
    (["0.0.0.0"], "unspecified address 0.0.0.0"),
    (["fd12:3456::1"], "private address fd12:3456::1"),
    (["fe80::1%eth0"], "link-local address fe80::1"),
    (["2002:a00:1::1"], "private (tunnelled) address 2002:a00:1::1"),  # 6to4 carrying 10.0.0.1
    (["64:ff9b::a9fe:a9fe"], "reserved address 64:ff9b::a9fe:a9fe"),  # NAT64 of 169.254.169.254
    ([PUBLIC, "10.0.0.1"], "private address 10.0.0.1"),  # one public answer and one private: refused
    (["10.0.0.1", PUBLIC], "private address 10.0.0.1"),
])
def test_a_name_resolving_to_a_non_public_address_is_refused_before_any_connection(answers, reason):
    sender, resolve = Sender(), resolver({"news.example": answers})
    result = Fetcher(Policy(), LIMITS, resolver=resolve, sender=sender).check("https://news.example/story")
    assert result.error == f"refused: {reason}"
    assert (result.status, result.final_url) == (None, "https://news.example/story")
    assert resolve.asked == ["news.example"] and sender.hops == []


@pytest.mark.parametrize("url, reason", [
    ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("http://[::1]/", "loopback address ::1"),
    ("http://10.0.0.1/", "private address 10.0.0.1"),
    ("http://127.0.0.1/", "loopback address 127.0.0.1"),
    ("ftp://files.example/report.pdf", "scheme ftp: only http and https are followed"),
    ("http://news.example:22/", "port 22 is not allowed (allowed: 80, 443)"),
])
def test_links_to_non_public_addresses_schemes_and_ports_are_refused(url, reason):
    sender, resolve = Sender(), resolver({})
    result = Fetcher(Policy(), LIMITS, resolver=resolve, sender=sender).check(url)
    assert result.error == f"refused: {reason}"
    assert sender.hops == []


def test_a_public_address_is_connected_to_itself_with_the_name_for_host_and_tls():
    """The other side of the refusals: a public answer reaches the connection layer, pinned to the
    address that was vetted (DNS is not asked again), the name kept for the Host header and TLS."""
    hops = []

    def sender(hop):
        hops.append(hop)
        return Answer(200, None, "text/html")

    resolve = resolver({"news.example": [PUBLIC]})
    result = Fetcher(Policy(), LIMITS, resolver=resolve, sender=sender).check("https://News.Example/story?id=1")
    assert (result.status, result.error) == (200, None)
    assert [(h.method, h.scheme, h.ip, h.port, h.hostname, h.target) for h in hops] == [
        ("HEAD", "https", PUBLIC, 443, "news.example", "/story?id=1")]


def test_a_name_that_does_not_resolve_is_a_dead_link(monkeypatch):
    asked = []

    def no_such_name(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    sender = Sender()
    result = Fetcher(Policy(), LIMITS, sender=sender).check("https://nowhere.example/")
    assert (result.status, result.error, asked, sender.hops) == (None, "DNS failure", ["nowhere.example"], [])


def test_the_configured_ports_are_allowed():
    hops = []
    policy = Policy(ports=frozenset({80, 443, 8080}))
    sender = lambda hop: hops.append(hop) or Answer(204, None, None)  # noqa: E731
    result = Fetcher(policy, LIMITS, resolver=resolver({"news.example": [PUBLIC]}), sender=sender).check(
        "http://news.example:8080/")
    assert result.status == 204 and hops[0].port == 8080


@pytest.mark.parametrize("target, reason", [
    ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
    ("http://[::1]:{port}/ok", "loopback address ::1"),
    ("http://10.0.0.1/", "private address 10.0.0.1"),
    ("http://internal.example:{port}/", "private address 10.0.0.7"),
    ("http://localhost.example:{port}/", "loopback address 127.0.0.2"),
    ("ftp://127.0.0.1/", "scheme ftp: only http and https are followed"),
    ("http://127.0.0.1:22/", "port 22 is not allowed (allowed: 80, 443, {port})"),
    ("http://127.0.0.1/", "loopback address 127.0.0.1"),  # the test server's address, not its port
])
def test_a_redirect_to_a_non_public_address_is_refused_before_connecting(server, target, reason):
    target = target.format(port=server.server_port)
    sender = Sender(server)
    names = {"internal.example": ["10.0.0.7"], "localhost.example": ["127.0.0.2"]}
    result = local_fetcher(server, sender=sender, names=names).check(at(server, f"/to?u={target}"))
    assert result.error == f"refused: {reason.format(port=server.server_port)}"
    assert result.redirects == [target]
    assert len(server.seen) == 1 and sender.stopped == []  # the first hop went, the refused one never did


# Storing checks, and the command.

@pytest.fixture
def claim_with_links(app):
    dispute = factories.dispute("links")
    statement = factories.statement(dispute, "s", source_url="https://source.example/text")
    claim = factories.claim(statement, "c")
    db.session.flush()
    return claim


def add_evidence(claim, urls: list[str]):
    rows = [factories.evidence(claim, url, Stance.supports, title=f"Link {i}") for i, url in enumerate(urls)]
    db.session.commit()
    return rows


def checks() -> dict[str, LinkCheck]:
    db.session.expire_all()
    return {check.url: check for check in db.session.scalars(sa.select(LinkCheck))}


def test_the_command_checks_every_link_and_records_what_it_found(app, runner, server, claim_with_links, monkeypatch):
    urls = [at(server, path) for path in ("/ok", "/old", "/gone")] + ["http://10.0.0.1/admin"]
    add_evidence(claim_with_links, urls)
    statement_id = claim_with_links.statement_id
    sender = Sender(server)
    monkeypatch.setattr(fetch, "send", sender)
    monkeypatch.setattr(fetch, "resolve", resolver({"source.example": ["169.254.169.254"]}))
    monkeypatch.setitem(app.config, "LINKS_TEST_SERVER_PORT", server.server_port)
    monkeypatch.setitem(app.config, "LINKS_PORTS", (80, 443, server.server_port))
    result = runner.invoke(args=["links", "check", "--dispute", "links", "--concurrency", "3", "--timeout", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "links: 5 checked, 1 ok, 1 redirected, 1 dead, 2 refused"
    found = checks()
    assert [found[url].state for url in urls] == ["ok", "redirected", "dead", "refused"]
    assert found[urls[1]].redirects == [at(server, "/moved"), at(server, "/ok")]
    assert found[urls[1]].final_url == at(server, "/ok") and found[urls[2]].status == 404
    assert found[urls[3]].error == "refused: private address 10.0.0.1"
    source = found["https://source.example/text"]
    assert (source.statement_id, source.error) == (statement_id, "refused: link-local address 169.254.169.254")
    assert sender.stopped == []
    # Checking again replaces each link's check: still one row per link.
    assert runner.invoke(args=["links", "check"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkCheck)) == 5


def test_the_command_names_an_unknown_dispute(runner):
    result = runner.invoke(args=["links", "check", "--dispute", "nothing-here"])
    assert result.exit_code == 1
    assert '--dispute: no dispute with the slug "nothing-here"' in result.output


def test_a_testing_app_without_the_allowance_refuses_its_own_server(app, runner, server, claim_with_links,
                                                                    monkeypatch):
    add_evidence(claim_with_links, [at(server, "/ok")])
    monkeypatch.setattr(fetch, "resolve", resolver({"source.example": [PUBLIC]}))
    monkeypatch.setattr(fetch, "send", Sender(server))
    monkeypatch.setitem(app.config, "LINKS_PORTS", (server.server_port,))
    result = runner.invoke(args=["links", "check"])
    assert "links: 2 checked, 0 ok, 0 redirected, 0 dead, 2 refused" in result.output
    assert server.seen == []


def test_on_a_terminal_the_command_draws_a_bar(runner, claim_with_links, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    add_evidence(claim_with_links, [f"https://news.example/{n}" for n in range(3)])
    screen = Terminal()
    monkeypatch.setattr(cli, "sys", types.SimpleNamespace(stderr=screen))
    monkeypatch.setattr(fetch, "send", lambda hop: Answer(200, None, "text/html"))
    monkeypatch.setattr(fetch, "resolve", resolver({"news.example": [PUBLIC], "source.example": [PUBLIC]}))
    result = runner.invoke(args=["links", "check"])
    assert result.output == "links: 4 checked, 4 ok, 0 redirected, 0 dead, 0 refused\n"
    assert "checking links" in screen.getvalue() and "100%" in screen.getvalue()


def test_the_installed_command_runs(tmp_path):
    """`tracker links check` as an operator runs it, on a database with no links (so nothing is fetched)."""
    env = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'links.sqlite3'}", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "tracker"]
    assert subprocess.run([*run, "db", "upgrade"], capture_output=True, env=env, cwd=tmp_path).returncode == 0
    checked = subprocess.run([*run, "links", "check"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (0, "links: 0 checked, 0 ok, 0 redirected, 0 dead, 0 refused\n")


# The claim page.

def claim_page(client, claim) -> str:
    return client.get(f"/disputes/links/claims/{claim.slug}").get_data(as_text=True)


def record(evidence, **values):
    record_link_checks([{"evidence_id": evidence.id, "url": evidence.url, "checked_at": dt.datetime(
        2026, 11, 29, 8, 0, tzinfo=dt.UTC), **values}])
    db.session.commit()


def test_the_claim_page_shows_each_links_last_check_in_words(client, claim_with_links):
    urls = [f"https://news.example/{n}" for n in range(6)]
    ok, moved, gone, slow, bad_tls, never = add_evidence(claim_with_links, urls)
    record(ok, status=200)
    record(moved, status=200, redirects=["https://www.news.example/1"], final_url="https://www.news.example/1")
    record(gone, status=404)
    record(slow, error="timeout")
    record(bad_tls, error="TLS error: hostname 'news.example' doesn't match 'cdn.example'")
    page = claim_page(client, claim_with_links)
    when = '<time datetime="2026-11-29T08:00:00+00:00">29 November 2026</time>'
    assert f"Link checked {when}: ok" in page
    assert f"Link checked {when}: redirected → www.news.example" in page
    assert f"Link checked {when}: dead (404)" in page
    assert f"Link checked {when}: dead (timeout)" in page
    assert f"Link checked {when}: dead (TLS error)" in page
    assert page.count("Link checked") == 5  # nothing for the link never checked


def test_the_statement_page_shows_its_source_s_last_check_until_the_source_changes(client, claim_with_links):
    statement = claim_with_links.statement
    page_url = f"/disputes/links/statements/{statement.slug}"
    assert "Link checked" not in client.get(page_url).get_data(as_text=True)
    record_link_checks([{"statement_id": statement.id, "url": statement.source_url, "status": 410,
                         "checked_at": dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)}])
    db.session.commit()
    when = '<time datetime="2026-11-29T08:00:00+00:00">29 November 2026</time>'
    assert f"Link checked {when}: dead (410)" in client.get(page_url).get_data(as_text=True)
    statement.source_url = "https://source.example/moved"
    db.session.commit()
    assert "Link checked" not in client.get(page_url).get_data(as_text=True)


def test_a_check_of_an_address_the_link_no_longer_has_is_not_shown(client, claim_with_links):
    (item,) = add_evidence(claim_with_links, ["https://news.example/a"])
    record(item, status=404)
    item.url = "https://news.example/b"
    db.session.commit()
    assert "Link checked" not in claim_page(client, claim_with_links)


def test_the_claim_page_reads_checks_in_one_query_whatever_the_evidence(client, claim_with_links):
    items = [(item.id, item.url) for item in add_evidence(claim_with_links, [f"https://news.example/{n}" for n in range(6)])]
    url = f"/disputes/links/claims/{claim_with_links.slug}"

    def checked(evidence_ids):
        record_link_checks([{"evidence_id": id_, "url": link, "status": 200, "checked_at": dt.datetime.now(dt.UTC)}
                            for id_, link in items if id_ in evidence_ids])
        db.session.commit()

    checked({items[0][0]})
    few = count_queries(lambda: client.get(url))
    checked({id_ for id_, _ in items})
    assert count_queries(lambda: client.get(url)) == few
    assert client.get(url).get_data(as_text=True).count("Link checked") == 6


def test_a_new_check_changes_the_claim_pages_etag(client, claim_with_links):
    (item,) = add_evidence(claim_with_links, ["https://news.example/a"])
    url = f"/disputes/links/claims/{claim_with_links.slug}"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    record(item, status=404)
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200 and "dead (404)" in again.get_data(as_text=True)


# Settings, and how the work is shared out.

def test_the_test_server_allowance_counts_only_in_a_testing_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "LINKS_TEST_SERVER_PORT", 8123)
    assert policy_of(app).test_server_port == 8123
    monkeypatch.setattr(app, "testing", False)
    assert policy_of(app).test_server_port is None
    assert policy_of(app).ports == frozenset({80, 443})


def test_tracker_links_ports_sets_the_ports(monkeypatch):
    monkeypatch.setenv("TRACKER_LINKS_PORTS", "80, 443,8080")
    assert create_app({"TESTING": True, "SECRET_KEY": "x"}).config["LINKS_PORTS"] == (80, 443, 8080)
    monkeypatch.setenv("TRACKER_LINKS_PORTS", "80,http")
    with pytest.raises(ValueError, match="TRACKER_LINKS_PORTS must be TCP ports"):
        create_app({"TESTING": True, "SECRET_KEY": "x"})


def test_links_are_checked_at_most_concurrency_at_a_time_and_each_address_once():
    lock, now, most, asked = threading.Lock(), [0], [0], []

    def sender(hop):
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
            asked.append(hop.target)
        time.sleep(0.05)
        with lock:
            now[0] -= 1
        return Answer(200, None, "text/html")

    fetcher = Fetcher(Policy(), LIMITS, resolver=resolver({"news.example": [PUBLIC]}), sender=sender)
    links = [Link(f"https://news.example/{n}", evidence_id=n) for n in range(12)]
    links.append(Link("https://news.example/0", statement_id=1))  # the same address as evidence 0
    results = list(run_checks(links, fetcher, concurrency=3))
    assert {link for link, _ in results} == set(links) and len(results) == 13
    assert most[0] == 3 and len(asked) == 12


def test_no_write_lock_is_held_while_links_are_fetched(fresh_database, monkeypatch):
    """Each fetch (two at a time, 150 links, a batch written after 100) first takes the database's write
    lock from a connection of its own: it gets it at once, as no transaction is left open over a fetch."""
    app = make_app(fresh_database())
    with app.app_context():
        upgrade()
        claim = factories.claim(factories.statement(factories.dispute("links"), "s"), "c")
        for n in range(150):
            factories.evidence(claim, f"https://news.example/{n}")
        db.session.commit()
        engine = db.engine
    waited = []

    def sender(hop):
        started = time.monotonic()
        with engine.connect() as other:
            if engine.dialect.name == "sqlite":
                other.execution_options(**{WRITE_OPTION: True}).execute(sa.text("SELECT 1"))  # BEGIN IMMEDIATE
            else:
                other.execute(sa.text("LOCK TABLE link_check IN EXCLUSIVE MODE"))
            other.rollback()
        waited.append(time.monotonic() - started)
        return Answer(200, None, "text/html")

    monkeypatch.setattr(fetch, "send", sender)
    monkeypatch.setattr(fetch, "resolve", resolver({"news.example": [PUBLIC]}))
    result = app.test_cli_runner().invoke(args=["links", "check", "--concurrency", "2"])
    assert result.exit_code == 0, result.output
    assert "links: 150 checked, 150 ok" in result.output
    assert len(waited) == 150 and max(waited) < 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkCheck)) == 150
    engine.dispose()
