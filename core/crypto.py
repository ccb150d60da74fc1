"""Sealing secrets that must wait somewhere (a queued e-mail holding a password-reset link)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet() -> MultiFernet:
    # One key per SECRET_KEY (the current one first, then the fallbacks being rotated out).
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"portal-seal:{secret}".encode()).digest()))
            for secret in keys
        ]
    )


def seal(data: bytes) -> str:
    """Encrypted and authenticated with a key derived from SECRET_KEY; readable only by unseal."""
    return _fernet().encrypt(data).decode()


def unseal(token: str, *, max_age_seconds: int) -> bytes:
    """The sealed data; InvalidToken if it was tampered with, sealed with another key, or is too old."""
    return _fernet().decrypt(token.encode(), ttl=max_age_seconds)
