"""Demo users (seed_demo): the printed logins must work, also on a re-run with another password."""

from .models import User
from .services import user_confirm_email


def demo_user(*, email: str, full_name: str, password: str, admin: bool = False) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": admin, "is_superuser": admin}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    # Production settings (docker-compose) make confirmation mandatory: the printed logins must work.
    user_confirm_email(user=user)
    return user


def seed_admin(*, password: str) -> User:
    return demo_user(email="admin@example.com", full_name="Administrador", password=password, admin=True)
