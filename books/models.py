from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """One account of the company's chart of accounts (lives in the company's schema)."""

    class Level(models.TextChoices):
        CLASS = "clase", _("Class")
        GROUP = "grupo", _("Group")
        ACCOUNT = "cuenta", _("Account")
        SUBACCOUNT = "subcuenta", _("Sub-account")
        AUXILIARY = "auxiliar", _("Auxiliary")

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    search_text = models.CharField(max_length=230, editable=False, default="")
    is_custom = models.BooleanField(_("added by the company"), default=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="account_parent_code_idx")]

    def __str__(self):
        return f"{self.code} {self.name}"
