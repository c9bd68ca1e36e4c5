"""The pressroom's Ed25519 signing key: from the environment, or kept under var/ for the demo.

``RELEASE_SIGNING_KEY`` holds the 32-byte private key, base64-encoded (``python3
manage.py signing_key --new`` prints one). Without it, a key is generated once and
kept in ``VAR_DIR/release-signing.key`` (readable by its owner only), which every
process on the machine shares: right for the demo and the tests, and reported by
a system check on a production start.
"""

import base64
import functools
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ALGORITHM = "Ed25519"
KEY_FILE_NAME = "release-signing.key"


def key_file():
    return Path(settings.VAR_DIR) / KEY_FILE_NAME


def new_key_text():
    """A fresh private key, as RELEASE_SIGNING_KEY takes it."""
    return _encode(_raw_private(Ed25519PrivateKey.generate()))


def private_key():
    return _load(settings.RELEASE_SIGNING_KEY or _kept_key_text())


def public_key():
    return private_key().public_key()


def public_bytes(key=None):
    return (key or public_key()).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def key_id(key=None):
    """A short name of the public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def public_key_pem():
    return pem(public_key())


def public_key_base64(key=None):
    return base64.b64encode(public_bytes(key)).decode()


def sign(data):
    return base64.b64encode(private_key().sign(data)).decode()


def verify(data, signature, with_key=None):
    """Whether ``signature`` (base64) is the pressroom's signature of ``data`` (bytes)."""
    key = with_key or public_key()
    try:
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def public_key_from_bytes(raw):
    return Ed25519PublicKey.from_public_bytes(raw)


def retired_keys():
    """Public keys used before the current one (RELEASE_SIGNING_RETIRED_KEYS)."""
    return [_load_public(text) for text in settings.RELEASE_SIGNING_RETIRED_KEYS]


def verification_keys():
    """Every key a signed document may name: {key id: public key}, the current key first."""
    current = public_key()
    found = {key_id(current): current}
    for key in retired_keys():
        found.setdefault(key_id(key), key)
    return found


def pem(key):
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@functools.lru_cache(maxsize=16)
def _load_public(text):
    raw = base64.b64decode(text.strip(), validate=True)
    if len(raw) != 32:
        raise ValueError("A retired signing key must be 32 bytes, base64-encoded.")
    return Ed25519PublicKey.from_public_bytes(raw)


@functools.lru_cache(maxsize=4)
def _load(text):
    raw = base64.b64decode(text.strip(), validate=True)
    if len(raw) != 32:
        raise ValueError("RELEASE_SIGNING_KEY must be 32 bytes, base64-encoded.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _kept_key_text():
    path = key_file()
    try:
        return path.read_text()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    text = new_key_text()
    try:
        # Created only if absent, owner-readable: two processes starting together agree.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text()
    with os.fdopen(descriptor, "w") as kept:
        kept.write(text)
    return text


def _raw_private(key):
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _encode(raw):
    return base64.b64encode(raw).decode()
