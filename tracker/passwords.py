"""Password hashing: argon2id, above OWASP's minimum (19 MiB, 2 passes, 1 lane)."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

# argon2id, 64 MiB, 3 passes, 4 lanes. Werkzeug's default scrypt settings are below OWASP's minimum.
HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


@cache
def dummy_hash() -> str:
    """Verified when the account does not exist, so both cases take the same time (made on first use:
    every command that imports this module would otherwise pay for a hash)."""
    return HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
