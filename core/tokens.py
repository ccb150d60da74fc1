"""Secrets in links: 32 random bytes, stored only as their SHA-256."""

import hashlib
import secrets


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(raw_token: str) -> str:
    return hashlib.sha256((raw_token or "").encode()).hexdigest()
