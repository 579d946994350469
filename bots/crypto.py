"""WeChat's safe mode (AES-256-CBC with the EncodingAESKey) and request signatures.

Written on ``cryptography`` rather than wechatpy's helpers so that every malformed input ends in
one exception type (:class:`BadMessage`) instead of IndexError/struct.error deep inside.
Format: base64(AES-CBC(key, iv=key[:16], PKCS7-32(random16 + len(msg) big-endian u32 + msg + appid))).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


class BadMessage(Exception):
    """Undecryptable, mis-padded, or for another appid."""


def signature(*parts: str) -> str:
    """SHA1 of the sorted, concatenated parts (token, timestamp, nonce[, Encrypt])."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected: str, *parts: str) -> bool:
    return hmac.compare_digest(signature(*parts).encode(), expected.lower().encode("utf-8", "replace"))


class SafeModeCipher:
    def __init__(self, encoding_aes_key: str, appid: str) -> None:
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("EncodingAESKey must be 43 base64 characters") from exc
        if len(key) != 32:
            raise ValueError("EncodingAESKey must be 43 base64 characters")
        self.key = key
        self.appid = appid.encode()

    def encrypt(self, plain: str, *, random_prefix: bytes | None = None) -> str:
        body = plain.encode()
        data = (random_prefix or os.urandom(16)) + struct.pack(">I", len(body)) + body + self.appid
        pad = BLOCK - len(data) % BLOCK
        data += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadMessage("not base64") from exc
        if not raw or len(raw) % 16:
            raise BadMessage("not a whole number of AES blocks")
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        data = decryptor.update(raw) + decryptor.finalize()
        pad = data[-1]
        if not 1 <= pad <= BLOCK or data[-pad:] != bytes([pad]) * pad:
            raise BadMessage("bad padding")
        content = data[16:-pad]
        if len(content) < 4:
            raise BadMessage("too short")
        (length,) = struct.unpack(">I", content[:4])
        if length > len(content) - 4:
            raise BadMessage("length field out of range")
        if content[4 + length :] != self.appid:
            raise BadMessage("message for another appid")
        try:
            return content[4 : 4 + length].decode()
        except UnicodeDecodeError as exc:
            raise BadMessage("not UTF-8") from exc


class KeyRing:
    """The current EncodingAESKey, and the previous one while WeChat rotates it."""

    def __init__(self, current: str, previous: str, appid: str) -> None:
        self.ciphers = [SafeModeCipher(current, appid)]
        if previous:
            self.ciphers.append(SafeModeCipher(previous, appid))

    def decrypt(self, encrypted: str) -> tuple[str, SafeModeCipher]:
        """The plaintext and the cipher that opened it (the answer is sealed with the same key)."""
        for cipher in self.ciphers:
            try:
                return cipher.decrypt(encrypted), cipher
            except BadMessage:
                continue
        raise BadMessage("no key opens this message")
