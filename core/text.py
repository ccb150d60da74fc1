import unicodedata


def search_normalize(text: str) -> str:
    """Lower case, no accents, single spaces: "Peña  S.A.S." -> "pena s.a.s."."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
