"""Fetching one link as the checker does: resolve, vet every address, connect to the vetted address itself.

urllib3 does the HTTP: it connects to an IP address while sending the name in the Host header, TLS SNI
and certificate check (server_hostname, assert_hostname), which is what pinning the vetted address needs;
http.client would need its TLS handshake rewritten for that. Redirects are followed here, one hop at a
time, so that each hop's scheme, port and addresses are vetted before anything connects.

The resolver (`resolve`) and the connection layer (`send`) are one function each: the tests replace both.
"""

import datetime as dt
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from .guard import Policy, Refused

REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORT = {"http": 80, "https": 443}
USER_AGENT = "tracker-link-check/1 (checks that evidence links still answer)"


@dataclass(frozen=True)
class Limits:
    """Seconds to connect, to wait for an answer, and for a whole link (every hop); redirects followed."""

    connect: float = 5.0
    read: float = 10.0
    total: float = 20.0
    redirects: int = 5


@dataclass
class Result:
    """What a check found: the final status or an error, each address redirected to, the last answer's type."""

    url: str
    status: int | None = None
    error: str | None = None
    redirects: list[str] = field(default_factory=list)
    final_url: str | None = None
    content_type: str | None = None
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class Hop:
    """One request to one vetted address."""

    method: str
    scheme: str
    ip: str
    port: int
    hostname: str  # the name in the link: Host header, SNI, the certificate's name
    target: str  # path and query
    connect_timeout: float
    read_timeout: float


@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    content_type: str | None


class Failed(Exception):
    """No answer: the message is what the check records ("timeout", "DNS failure", ...)."""


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to; an address in the link is itself, without asking DNS."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Failed("DNS failure") from None
    return [info[4][0] for info in infos]


def send(hop: Hop) -> Answer:
    """Ask hop.ip (already vetted: an address, never a name) and return the answer's head; no body is read."""
    ipaddress.ip_address(hop.ip)  # a name here would be resolved by urllib3, past the guard
    timeout = urllib3.Timeout(connect=hop.connect_timeout, read=hop.read_timeout)
    options = dict(maxsize=1, retries=False, timeout=timeout)
    if hop.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(hop.ip, hop.port, server_hostname=hop.hostname,
                                           assert_hostname=hop.hostname, cert_reqs=ssl.CERT_REQUIRED, **options)
    else:
        pool = urllib3.HTTPConnectionPool(hop.ip, hop.port, **options)
    host = f"[{hop.hostname}]" if ":" in hop.hostname else hop.hostname
    if hop.port != DEFAULT_PORT[hop.scheme]:
        host = f"{host}:{hop.port}"
    headers = {"Host": host, "User-Agent": USER_AGENT, "Accept": "*/*"}
    try:
        response = pool.urlopen(hop.method, hop.target, headers=headers, redirect=False, retries=False,
                                preload_content=False, assert_same_host=False)
        try:
            return Answer(response.status, response.headers.get("Location"), response.headers.get("Content-Type"))
        finally:
            response.close()  # the body is never read: the connection is dropped after the head
    except Urllib3Timeout:
        raise Failed("timeout") from None
    except SSLError as error:
        raise Failed(f"TLS error: {short(error)}") from None
    except NewConnectionError:
        raise Failed("connection failed") from None
    except (HTTPError, OSError) as error:
        raise Failed(f"connection error: {short(error)}") from None
    finally:
        pool.close()


def short(error: Exception) -> str:
    return str(error.args[-1] if error.args else error)[:200]


class Fetcher:
    """Checks links under a policy and limits; `resolver` and `sender` default to resolve() and send()."""

    def __init__(self, policy: Policy, limits: Limits = Limits(), resolver=None, sender=None):
        self.policy, self.limits = policy, limits
        self.resolver = resolver or resolve
        self.sender = sender or send

    def check(self, url: str) -> Result:
        result = Result(url)
        deadline = time.monotonic() + self.limits.total
        current = url
        try:
            while True:
                answer = self.fetch(current, deadline)
                result.status, result.content_type, result.final_url = answer.status, answer.content_type, current
                if answer.status not in REDIRECTS or not answer.location:
                    return result
                if len(result.redirects) >= self.limits.redirects:
                    result.error = f"more than {self.limits.redirects} redirects"
                    return result
                current = urljoin(current, answer.location.strip()).split("#", 1)[0]
                result.redirects.append(current)
        except (Refused, Failed) as error:
            result.status, result.content_type = None, None
            result.error = str(error)
            result.final_url = current
            return result

    def fetch(self, url: str, deadline: float) -> Answer:
        """One hop: vet the scheme and port, resolve, vet every address, then HEAD (GET if HEAD is refused)."""
        try:
            parts = urlsplit(url)
            scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
        except ValueError:
            raise Failed("not a valid address") from None
        port = port or DEFAULT_PORT.get(scheme, 0)
        self.policy.vet_target(scheme, port)
        if not host:
            raise Failed("no host name")
        try:
            host = host.encode("idna").decode("ascii")  # the name as DNS and the Host header carry it
        except UnicodeError:
            raise Failed("not a valid host name") from None
        addresses = self.resolver(host, port)
        if not addresses:
            raise Failed("DNS failure")
        # Every answer is vetted, not just the one used: a name answering one public and one private
        # address is refused, as a resolver could give either next time.
        vetted = [self.policy.vet_address(address, port) for address in addresses]
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        answer = None
        for method in ("HEAD", "GET"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Failed("timeout")
            hop = Hop(method, scheme, str(vetted[0]), port, host, target, min(self.limits.connect, remaining),
                      min(self.limits.read, remaining))
            answer = self.sender(hop)
            if answer.status not in (405, 501):  # HEAD not supported: ask with GET
                return answer
        return answer
