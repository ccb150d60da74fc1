"""SQL that the books migrations apply from a file: `ledger.sql`, the ledger's rules (trigger functions and
triggers), in one place instead of spread over the migrations that wrote them."""

import hashlib
from pathlib import Path

from django.db import migrations

LEDGER_SQL = Path(__file__).with_name("ledger.sql")


def ledger_sql() -> str:
    return LEDGER_SQL.read_text(encoding="utf-8")


def ledger_sql_sha256() -> str:
    return hashlib.sha256(LEDGER_SQL.read_bytes()).hexdigest()


class LedgerRules(migrations.RunSQL):
    """A migration's step that applies ledger.sql, as it is now, in the company's schema.

    `sha256` names the text of the file that the migration was written for: each change of the file comes
    with a new migration holding LedgerRules(sha256=<the new text's>), which tests/books/test_ledger_sql.py
    asks for. A step whose file has changed since does nothing: the newer migration applies the file, so a
    new database never meets rules written for tables that later migrations create. Going back leaves the
    rules as they are (the file holds no older text to go back to).
    """

    def __init__(self, *, sha256: str):
        self.sha256 = sha256
        sql = ledger_sql() if sha256 == ledger_sql_sha256() else migrations.RunSQL.noop
        super().__init__(sql, migrations.RunSQL.noop)

    def deconstruct(self):
        return self.__class__.__name__, [], {"sha256": self.sha256}

    def describe(self):
        if self.sql == migrations.RunSQL.noop:
            return "books/sql/ledger.sql (a later migration applies it)"
        return "Apply books/sql/ledger.sql"
