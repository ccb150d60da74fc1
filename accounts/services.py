"""Use cases of user accounts."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import User, UserSession


def user_create_inactive(*, email: str, password: str | None = None) -> User:
    """An account made for a client by their accountant: inactive until the client activates it."""
    return User.objects.create_user(email=email, password=password, is_active=False, awaiting_activation=True)


def user_activate(*, user: User, password: str) -> User:
    """The client sets their own password from the e-mailed link, which proves the address is theirs.

    Raises ValidationError for a password the validators refuse.
    """
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.awaiting_activation = False
        user.save(update_fields=["password", "is_active", "awaiting_activation"])
        user_confirm_email(user=user)
    return user


def user_confirm_email(*, user: User) -> None:
    """The user's address is confirmed (allauth's record): where confirmation is mandatory, they log in."""
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )


def user_set_tax_reminders(*, user: User, enabled: bool) -> None:
    user.tax_reminders = enabled
    user.save(update_fields=["tax_reminders"])


def user_set_board_columns(*, user: User, hidden: list[str]) -> None:
    """The client board's columns the user hides (their own setting, on every device they use)."""
    user.board_hidden_columns = sorted(set(hidden))
    user.save(update_fields=["board_hidden_columns"])


def user_sessions_end(*, user: User) -> int:
    """Log the user out everywhere (their account was deactivated). Returns how many sessions ended."""
    count, _detail = UserSession.objects.filter(user_id=user.pk).delete()
    return count
