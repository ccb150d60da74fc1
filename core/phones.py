"""Phone numbers as people type them ("601 234 5678", "+57 300 123 4567 ext. 12"): checked with
libphonenumber (`phonenumbers`) for the company's country and kept as typed (single spaces). The companies
bulk import asks for mobiles and keeps them in E.164 (bulk_import.services); this rules the other fields."""

import phonenumbers
from django.utils.translation import gettext as _

PHONE_MAX_LENGTH = 30  # the phone columns of companies and terceros


class InvalidPhone(ValueError):
    """A phone no one could dial; its text is the message for the user, in their language."""


def phone_clean(raw: str, *, country: str = "CO") -> str:
    """The phone as typed with single spaces, "" for none. Raises InvalidPhone for text that is not a valid
    number of `country` (or, written with + and its code, of another country): "+1+1", "12345"."""
    text = " ".join((raw or "").split())
    if not text:
        return ""
    if len(text) > PHONE_MAX_LENGTH:
        raise InvalidPhone(
            _("Write one phone number, of at most %(max)s characters.") % {"max": PHONE_MAX_LENGTH}
        )
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidPhone(
            _(
                "“%(value)s” is not a valid phone number. Write it with its area code, or with + and the "
                "country code, e.g. +57 300 123 4567."
            )
            % {"value": text}
        )
    return text
