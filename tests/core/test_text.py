import pytest

from core.text import end_sentence, search_normalize, search_words


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Peña  S.A.S.", "pena sas"),
        ("  CAFÉ   Núñez ", "cafe nunez"),
        ("Coca-Cola & Cía. Ltda.", "coca cola cia ltda"),
        ("D'Andrea_Hnos", "d andrea hnos"),
        ("", ""),
        (None, ""),
    ],
)
def test_search_normalize_drops_accents_case_punctuation_and_extra_spaces(text, normalized):
    assert search_normalize(text) == normalized


def test_search_words_are_the_normalized_words_of_a_query():
    assert search_words("Cafetal, BUCARAMANGA  s.a.s") == ["cafetal", "bucaramanga", "sas"]


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        (
            "Ahora eres el propietario de Café Macondo S.A.S..",
            "Ahora eres el propietario de Café Macondo S.A.S.",
        ),
        ("Bienvenido a Andes Ltda.. Ya puedes trabajar.", "Bienvenido a Andes Ltda. Ya puedes trabajar."),
        ("Espera...", "Espera..."),
        ("Sin punto final", "Sin punto final"),
    ],
)
def test_end_sentence_leaves_one_final_period_after_a_name_that_ends_with_one(text, ended):
    assert end_sentence(text) == ended
