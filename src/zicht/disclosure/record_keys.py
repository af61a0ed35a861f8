"""Record keys for the cell key method: a secret release key turns each person's pseudonym into a number.

A person's record key is the first four bytes of HMAC-SHA-256(release key, pseudonym), read as an
unsigned 32-bit integer (so uniform on 0 .. 2**32 - 1). Harmonise stores it in the person table; the
engines sum the keys of the persons in each cell, and a cell's key is that sum modulo 2**32 (read as a
fraction of 2**32). The same persons therefore always give the same cell key, in every table made from
the store, whatever the query.

The release key never leaves this module's callers: it is read from a file or an environment variable
and is never written to the store, the manifest or any message. Only `key_id` (a keyed fingerprint that
reveals nothing about the key) is recorded, so that a reader can tell which release a number belongs to.
Rotating the key makes a new release: every published value may change.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from zicht.errors import InputError

KEY_BITS = 32
KEY_MODULUS = 1 << KEY_BITS
MIN_KEY_BYTES = 16
DEFAULT_KEY_FILE = "release.key"
_FINGERPRINT_LABEL = b"zicht release key id"
_SHA256_BLOCK = 64


def record_key(key: bytes, pseudonym: str) -> int:
    """The record key of one person (0 .. 2**32 - 1)."""
    return int.from_bytes(hmac.digest(key, pseudonym.encode("utf-8"), "sha256")[:4], "big")


def record_keys(key: bytes, pseudonyms: Iterable[str]) -> np.ndarray:
    """Record keys of many persons, as int64 (so that sums of millions of keys stay exact)."""
    digest = hmac.digest
    return np.fromiter(
        (int.from_bytes(digest(key, p.encode("utf-8"), "sha256")[:4], "big") for p in pseudonyms),
        dtype=np.int64,
    )


def record_key_sql(key: bytes, column: str) -> str:
    """A DuckDB SQL expression giving the record key of the pseudonym in ``column`` (a quoted identifier or
    expression of type VARCHAR), equal to `record_key` for every value (NULL stays NULL).

    HMAC-SHA-256 written out by its definition (RFC 2104): SHA-256((K ^ opad) || SHA-256((K ^ ipad) || m)),
    K the key padded with zero bytes to the 64-byte block (or first hashed when longer). In SQL the keys of
    millions of persons are computed inside the query that writes the person table, in DuckDB's threads,
    instead of a Python loop over the ids and a join back. The padded keys appear in the SQL text, so the
    expression must never be logged or shown: it is as secret as the release key.
    """
    block = hashlib.sha256(key).digest() if len(key) > _SHA256_BLOCK else key
    block = block.ljust(_SHA256_BLOCK, b"\0")
    ipad = bytes(b ^ 0x36 for b in block).hex()
    opad = bytes(b ^ 0x5C for b in block).hex()
    inner = f"unhex(sha256(unhex('{ipad}') || encode({column})))"
    # The first 4 bytes of the outer digest are its first 8 hex digits, read as an unsigned 32-bit number.
    return f"CAST(('0x' || left(sha256(unhex('{opad}') || {inner}), 8)) AS BIGINT)"


def key_id(key: bytes) -> str:
    """A short fingerprint of the release key for manifests: equal keys give equal ids, and the id tells
    nothing about the key."""
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def default_key_file() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("zicht", appauthor=False)) / DEFAULT_KEY_FILE


def load_release_key(key_file: Path | None = None, key_env: str | None = None) -> bytes:
    """The release key from a file or an environment variable; with neither, this machine's default key
    file (made once with 32 random bytes, readable by its owner only).

    Keep one key for all releases of the same data: tables made with different keys have independent
    noise, and averaging them would wear the protection down."""
    if key_file is not None and key_env is not None:
        raise InputError("give the release key with at most one of --release-key-file or --release-key-env")
    if key_env is not None:
        value = os.environ.get(key_env)
        if value is None:
            raise InputError(f"environment variable {key_env} is not set")
        return _checked(value.encode("utf-8"), f"environment variable {key_env}")
    if key_file is None:
        key_file = default_key_file()
        if not key_file.exists():
            _create_key_file(key_file)
    try:
        raw = key_file.read_bytes().rstrip(b"\r\n")
    except FileNotFoundError:
        raise InputError(f"{key_file}: release key file not found") from None
    except IsADirectoryError:
        raise InputError(f"{key_file}: release key file is a folder") from None
    except PermissionError:
        raise InputError(f"{key_file}: release key file cannot be read (permission denied)") from None
    return _checked(raw, f"release key file {key_file}")


def _checked(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise InputError(
            f"{where}: release key is {len(key)} bytes; use at least {MIN_KEY_BYTES} random bytes"
        )
    return key


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole to a private temporary file, then linked into place: a process starting at the same
    # time either finds no file or a complete key, and two processes cannot both make one.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs is kept
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
