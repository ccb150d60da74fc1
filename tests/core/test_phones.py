import pytest
from django.utils import translation

from core.phones import InvalidPhone, phone_clean


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("601 234 5678", "601 234 5678"),  # a Bogotá landline
        ("  300  123 4567 ", "300 123 4567"),
        ("+57 300 123 4567 ext. 12", "+57 300 123 4567 ext. 12"),
        ("(604) 444-1234", "(604) 444-1234"),
        ("+1 212 555 0100", "+1 212 555 0100"),  # another country, with its code
        ("", ""),
    ],
)
def test_a_phone_anyone_could_dial_is_kept_as_typed(typed, kept):
    assert phone_clean(typed, country="CO") == kept


@pytest.mark.parametrize(
    "typed", ["+1+1", "1+1", "=1+1", "12345", "3001234567abc", "300 123 4567 / 310 987 6543", "+57", "abc"]
)
def test_text_that_is_not_a_phone_number_is_refused_in_spanish(typed):
    with translation.override("es-co"), pytest.raises(InvalidPhone) as refused:
        phone_clean(typed, country="CO")
    assert str(refused.value).startswith(f"“{typed}” no es un número de teléfono válido")


def test_a_phone_longer_than_its_column_is_refused():
    with translation.override("es-co"), pytest.raises(InvalidPhone, match="máximo 30 caracteres"):
        phone_clean("+57 300 123 4567 extensión 1234567", country="CO")


def test_the_country_decides_the_numbers_without_a_code():
    assert phone_clean("55 1234 5678", country="MX") == "55 1234 5678"
    with pytest.raises(InvalidPhone):
        phone_clean("55 1234 5678", country="CO")
