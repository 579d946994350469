"""Personal data at rest: AES-256-GCM with ``ONETRIP_DATA_KEY``; HMAC blind indexes for lookups.

A stored value is ``v1:<base64(nonce|ciphertext|tag)>``. The version prefix leaves room for key
rotation (decrypt with the old key, write with the new).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1:"


class DataCipher:
    def __init__(self, key: str) -> None:
        raw = _decode_key(key)
        self._aead = AESGCM(raw)
        self._index_key = hashlib.sha256(b"onetrip-blind-index" + raw).digest()

    def encrypt(self, plaintext: str | None) -> str | None:
        if plaintext is None:
            return None
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), None)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def decrypt(self, stored: str | None) -> str | None:
        if stored is None:
            return None
        if not stored.startswith(PREFIX):
            raise ValueError("not an encrypted value")
        blob = base64.urlsafe_b64decode(stored[len(PREFIX) :])
        return self._aead.decrypt(blob[:12], blob[12:], None).decode()

    def blind_index(self, value: str) -> str:
        """A keyed hash, to find a row by an exact personal value without storing it in clear."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


def _decode_key(key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        # a passphrase rather than a 32-byte key: derive one (documented in README)
        raw = hashlib.sha256(key.encode()).digest()
    return raw


_ciphers: dict[str, DataCipher] = {}


def cipher_for(settings) -> DataCipher:
    key = settings.data_key
    if key not in _ciphers:
        _ciphers[key] = DataCipher(key)
    return _ciphers[key]
