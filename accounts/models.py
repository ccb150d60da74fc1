from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One person. Logs in with e-mail; lives in the public schema."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=10, default="es-co", choices=[("es-co", "Español"), ("en", "English")]
    )
    tax_reminders = models.BooleanField(_("e-mail me my clients' upcoming tax due dates"), default=True)
    # The client board's columns this person hid (firms.board.BOARD_COLUMNS); new columns show by default.
    board_hidden_columns = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("hidden board columns"),
        default=list,
        db_default=[],  # rows written in SQL (scripts, tests) get one too
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Made by an accountant for a client: inactive until the client sets a password from the e-mailed link.
    awaiting_activation = models.BooleanField(_("awaiting activation"), default=False)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.email

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._saved_is_active = user.__dict__.get("is_active")
        return user

    def save(self, *args, **kwargs):
        deactivated = getattr(self, "_saved_is_active", False) and not self.is_active
        super().save(*args, **kwargs)
        self._saved_is_active = self.is_active
        if deactivated:  # from the admin or anywhere: switching the account back on must not revive them
            from .services import user_sessions_end

            user_sessions_end(user=self)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class UserSession(AbstractBaseSession):
    """A session (in the database, public schema) that knows its user, so that all the sessions of a
    deactivated user can be ended (accounts.sessions is the session engine)."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
