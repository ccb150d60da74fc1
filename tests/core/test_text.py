import pytest

from core.text import search_normalize


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("Peña  S.A.S.", "pena s.a.s."), ("  CAFÉ   Núñez ", "cafe nunez"), ("", ""), (None, "")],
)
def test_search_normalize_drops_accents_case_and_extra_spaces(text, normalized):
    assert search_normalize(text) == normalized
