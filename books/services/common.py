from firms.services import DomainError


class BooksError(DomainError):
    """A rule of the books refused the change; the message is for the accountant."""


def actor(user) -> dict:
    """Who did it, as the company's schema keeps it: the public user's id and name at that moment."""
    if user is None:
        return {"id": None, "name": ""}
    return {"id": user.pk, "name": user.get_full_name()[:150]}
