"""The cleaned PUC (books/data/SOURCES.md) for companies seeded before it: standard accounts renamed, one
company's own sub-accounts and range placeholders removed, every account's nature set, and accounts the
company added whose code does not follow the PUC structure given a code that does."""

import re
import unicodedata

from django.db import migrations

# Standard accounts of the old seed that are not PUC accounts (removed when nothing hangs from them).
BOGUS = [
    "130501", "130502", "130503", "130504", "130506", "130507", "130508", "130509", "130511", "130512",
    "130513", "130514", "220501", "220502", "220504", "252501", "527001", "622001",
]  # fmt: skip
RENAMES = {
    "2335": "COSTOS Y GASTOS POR PAGAR",
    "123555": "TITULOS FINANCIEROS INDUSTRIALES Y COMERCIALES",
    "130505": "NACIONALES",
    "130510": "DEL EXTERIOR",
    "171076": 'IMPUESTO DE RENTA DIFERIDO "DEBITOS" POR DIFERENCIAS',
    "412012": "ELABORACION DE PASTAS Y PRODUCTOS FARINACEOS",
    "422065": "PLANTACIONES AGRICOLAS Y FORESTALES",
    "424564": "PLANTACIONES AGRICOLAS Y FORESTALES",
    "612012": "ELABORACION DE PASTAS Y PRODUCTOS FARINACEOS",
}
CODE_SHAPE = re.compile(r"^([0-9]|([0-9]{2})+)$")


def _normalize(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())


def _free_code(Account, parent_code):
    for suffix in range(1, 100):
        code = f"{parent_code}{suffix:02d}"
        if not Account.objects.filter(code=code).exists():
            return code
    raise RuntimeError(f"no free code under {parent_code}")


def clean(apps, schema_editor):
    from books.puc import puc_natures

    Account = apps.get_model("books", "Account")
    if not Account.objects.exists():
        return
    for code in BOGUS:
        account = Account.objects.filter(code=code, is_custom=False).first()
        if account and not Account.objects.filter(parent_id=code).exists():
            account.delete()
    for code, name in RENAMES.items():
        Account.objects.filter(code=code, is_custom=False).update(name=name, search_text=_normalize(f"{code} {name}"))
    # Accounts the company added with a code of the wrong shape move to the next free code under their parent.
    custom = Account.objects.filter(is_custom=True).values_list("code", flat=True)
    for code in sorted(custom, key=lambda code: (len(code), code)):
        if CODE_SHAPE.match(code):
            continue
        account = Account.objects.get(code=code)  # its parent may have moved meanwhile
        new_code = _free_code(Account, account.parent_id)
        Account.objects.create(
            code=new_code,
            name=account.name,
            level="subcuenta" if len(new_code) == 6 else "auxiliar",
            parent_id=account.parent_id,
            search_text=_normalize(f"{new_code} {account.name}"),
            is_custom=True,
        )
        Account.objects.filter(parent_id=account.code).update(parent_id=new_code)
        account.delete()
    natures = puc_natures()
    by_code = {}
    for account in sorted(Account.objects.all(), key=lambda a: (len(a.code), a.code)):
        nature = natures.get(account.code) if not account.is_custom else None
        nature = nature or by_code.get(account.parent_id) or ("C" if account.code[:1] in "2349" else "D")
        by_code[account.code] = nature
        if account.nature != nature:
            Account.objects.filter(code=account.code).update(nature=nature)
    # Check the deferred foreign keys now: the next migration alters the table.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("books", "0002_ledger")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
