"""Which addresses the link checker may connect to: public ones only, on the allowed ports.

A link in a claim's evidence is anyone's to write, and the checker runs inside the site's network:
without this guard a link (or a redirect, or a DNS answer) to 10.0.0.1 or 169.254.169.254 would make
the server ask its neighbours or its cloud's metadata service. Every address is vetted after DNS
resolution and at every redirect, and the connection goes to the vetted address itself.
"""

import ipaddress
from dataclasses import dataclass, field

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The one address `test_server_port` lets through, on that port alone: the tests' local server
# ([::1], the rest of 127.0.0.0/8 and other ports stay refused, so tests can show redirects to them refused).
TEST_SERVER_ADDRESS = ipaddress.IPv4Address("127.0.0.1")
SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = frozenset({80, 443})

# Ranges ipaddress does not flag in every Python version, refused by name whatever it says.
NOT_PUBLIC = (
    ("this network", ipaddress.ip_network("0.0.0.0/8")),
    ("shared address space", ipaddress.ip_network("100.64.0.0/10")),
    ("IETF protocol assignments", ipaddress.ip_network("192.0.0.0/24")),
    ("benchmarking", ipaddress.ip_network("198.18.0.0/15")),
    ("reserved", ipaddress.ip_network("240.0.0.0/4")),
    ("NAT64", ipaddress.ip_network("64:ff9b::/96")),
    ("NAT64 local use", ipaddress.ip_network("64:ff9b:1::/48")),
    ("unique local", ipaddress.ip_network("fc00::/7")),
    ("site-local", ipaddress.ip_network("fec0::/10")),
    ("discard-only", ipaddress.ip_network("100::/64")),
)


class Refused(Exception):
    """The checker will not go there; the message says why ("private address 10.0.0.1")."""

    def __str__(self) -> str:
        return f"refused: {self.args[0]}"


@dataclass(frozen=True)
class Policy:
    """Where the checker may go. `test_server_port` lets 127.0.0.1 through on that port, for the tests'
    local server only: it is never read from the environment (see policy_of in check.py)."""

    ports: frozenset[int] = DEFAULT_PORTS
    test_server_port: int | None = None
    schemes: frozenset[str] = field(default=SCHEMES)

    def vet_target(self, scheme: str, port: int) -> None:
        if scheme not in self.schemes:
            raise Refused(f"scheme {scheme or '(none)'}: only http and https are followed")
        if port not in self.ports:
            raise Refused(f"port {port} is not allowed (allowed: {', '.join(map(str, sorted(self.ports)))})")

    def vet_address(self, address: str | IPAddress, port: int) -> IPAddress:
        """The address parsed, or Refused naming why it is not a public one."""
        ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
        problem = why_not_public(ip)
        if problem == "loopback" and (ip, port) == (TEST_SERVER_ADDRESS, self.test_server_port):
            return ip
        if problem:
            raise Refused(f"{problem} address {ip}")
        return ip


def why_not_public(ip: IPAddress) -> str | None:
    """What kind of non-public address this is, or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:10.0.0.1 reaches 10.0.0.1
            return why_not_public(ip.ipv4_mapped)
        for embedded in (ip.sixtofour, ip.teredo[1] if ip.teredo else None):  # tunnels to an IPv4 address
            if embedded is not None and why_not_public(embedded):
                return f"{why_not_public(embedded)} (tunnelled)"
        if ip.scope_id:
            return "scoped"
    checks = (
        ("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast), ("private", ip.is_private), ("reserved", ip.is_reserved),
    )
    for name, flagged in checks:
        if flagged:
            return name
    for name, network in NOT_PUBLIC:
        if ip.version == network.version and ip in network:
            return name
    if not ip.is_global:
        return "non-public"
    return None
