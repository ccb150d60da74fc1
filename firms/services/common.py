"""What the firms services share: their domain error."""


class DomainError(Exception):
    """A business rule refused the change; the message is for the user."""
