from core.tokens import token_hash, token_new


def test_tokens_carry_32_random_bytes_and_are_stored_as_sha256():
    first, second = token_new(), token_new()
    assert first != second and len(first) >= 43  # 32 bytes in URL-safe base64
    assert len(token_hash(first)) == 64 and token_hash(first) != token_hash(second)
    assert first not in token_hash(first)
