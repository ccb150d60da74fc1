"""Issue 18's ledger rules, kept by PostgreSQL:

- a reversal in effect keeps its original from being annulled or reversed again, and a reversal is not
  reversed (annulling it undoes it); one posted reversal per comprobante (a unique index);
- one posted year-end closing a year (a unique index); a closing is dated 31 December of a year that has
  ended; nothing is posted or annulled in a closed year but the closing itself, which is posted or annulled
  whatever the lock date (the app moves the lock date with it);
- comprobante numbers 1 to 999,999,999 and a type's consecutive at most one more; line amounts at most
  999,999,999,999,999.99; comprobante dates 1990-01-01 to 2100-12-31 (CHECK constraints);
- comprobante totals and the kept balances in NUMERIC(36,2): no sum of lines can overflow (see SUMS in
  books/models.py);
- the lock date is read FOR SHARE when posting or annulling: a lock date or closing being set waits for the
  postings under way, and a posting that waited sees the new date;
- every refusal of the triggers carries a code in its DETAIL (JSON: {"code": ..., and its values}), which
  books.services.common turns into the accountant's message.

The new CHECK constraints are added NOT VALID: rows written before them (the books never change) stay, every
new row is checked. Duplicate closings of a year left by the old race are annulled, all but the first.
"""

import re
from datetime import date
from decimal import Decimal
from importlib import import_module

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models

# The company's one settings row exists from now on: posting locks it FOR SHARE (no row, no lock).
SETTINGS_ROW = """
INSERT INTO books_bookssettings (lock_date, legal_representative, accountant_name, accountant_card,
                                 auditor_name, auditor_card, singleton)
SELECT NULL, '', '', '', '', '', true WHERE NOT EXISTS (SELECT 1 FROM books_bookssettings);
UPDATE books_vouchertype SET next_number = 1000000000 WHERE next_number > 1000000000;
"""

# Closings posted twice for a year (two "Cerrar año" at once): every one but the lowest number is annulled,
# as the accountant would have done; the lock date steps aside for it and comes back.
DUPLICATE_CLOSINGS = """
DO $$
DECLARE
    locked date;
BEGIN
    IF EXISTS (SELECT 1 FROM books_entry WHERE source = 'closing' AND status = 'posted'
                GROUP BY EXTRACT(YEAR FROM date) HAVING count(*) > 1) THEN
        SELECT lock_date INTO locked FROM books_bookssettings LIMIT 1;
        UPDATE books_bookssettings SET lock_date = NULL;
        UPDATE books_entry SET status = 'annulled', annulled_at = now(),
               annul_reason = 'Cierre duplicado del mismo año: anulado al actualizar el portal'
         WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY EXTRACT(YEAR FROM date)
                                                                    ORDER BY number, id) AS n
                                        FROM books_entry WHERE source = 'closing' AND status = 'posted') AS c
                       WHERE c.n > 1);
        UPDATE books_bookssettings SET lock_date = locked;
    END IF;
END
$$;
SET CONSTRAINTS ALL IMMEDIATE;  -- the balances it moved are checked now: the indexes below need no pending events
"""


def check(table: str, name: str, condition: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition}) NOT VALID",
        f"ALTER TABLE {table} DROP CONSTRAINT {name}",
    )


RULES = r"""
CREATE OR REPLACE FUNCTION books_entry_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    locked date;
    totals record;
    bad_account text;
    found_label text;
    original record;
    frozen text[] := ARRAY['status', 'annulled_by_id', 'annulled_by_name', 'annulled_at', 'annul_reason'];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'books: a comprobante is created as a draft and posted afterwards'
                USING ERRCODE = 'check_violation', DETAIL = '{"code": "created_as_draft"}';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'books: comprobante % is % and is never deleted', OLD.id, OLD.status
                USING ERRCODE = 'check_violation', DETAIL = '{"code": "never_deleted"}';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'draft' AND NEW.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    -- Held until the transaction ends: a lock date or closing being set waits for this change, or this
    -- change waits for it and then reads its new date.
    SELECT lock_date INTO locked FROM books_bookssettings LIMIT 1 FOR SHARE;
    IF OLD.status = 'draft' THEN
        IF NEW.status <> 'posted' THEN
            RAISE EXCEPTION 'books: a draft can only be posted'
                USING ERRCODE = 'check_violation', DETAIL = '{"code": "draft_only_posted"}';
        END IF;
        IF NEW.source = 'closing' AND (to_char(NEW.date, 'MM-DD') <> '12-31' OR NEW.date >= current_date) THEN
            RAISE EXCEPTION 'books: a year-end closing is dated 31 December of a year that has ended, not %',
                NEW.date USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'closing_date', 'date', NEW.date)::text;
        END IF;
        SELECT t.code || '-' || e.number INTO found_label
          FROM books_entry e JOIN books_vouchertype t ON t.id = e.voucher_type_id
         WHERE e.source = 'closing' AND e.status = 'posted' AND e.id <> NEW.id
           AND EXTRACT(YEAR FROM e.date) = EXTRACT(YEAR FROM NEW.date)
         LIMIT 1;
        IF found_label IS NOT NULL THEN
            RAISE EXCEPTION 'books: % is closed by %', EXTRACT(YEAR FROM NEW.date), found_label
                USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'closed_year', 'year', EXTRACT(YEAR FROM NEW.date)::int,
                                           'closing', found_label)::text;
        END IF;
        -- The year-end closing, the year's last act, is made whatever the lock date (which it moves).
        IF locked IS NOT NULL AND NEW.date <= locked AND NEW.source <> 'closing' THEN
            RAISE EXCEPTION 'books: % is on or before the lock date %', NEW.date, locked
                USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'lock_date', 'date', NEW.date, 'lock', locked)::text;
        END IF;
        IF NEW.reversal_of_id IS NOT NULL THEN
            -- FOR SHARE: an annulment of the original under way finishes first (and this sees it), or waits.
            SELECT e.status, e.reversal_of_id, t.code || '-' || e.number AS label INTO original
              FROM books_entry e JOIN books_vouchertype t ON t.id = e.voucher_type_id
             WHERE e.id = NEW.reversal_of_id FOR SHARE OF e;
            IF original.status <> 'posted' THEN
                RAISE EXCEPTION 'books: % is % and cannot be reversed', original.label, original.status
                    USING ERRCODE = 'check_violation',
                    DETAIL = json_build_object('code', 'reversal_not_posted', 'entry', original.label)::text;
            END IF;
            IF original.reversal_of_id IS NOT NULL THEN
                RAISE EXCEPTION 'books: % is a reversal: annul it to undo it, it is not reversed', original.label
                    USING ERRCODE = 'check_violation',
                    DETAIL = json_build_object('code', 'reversal_of_reversal', 'entry', original.label)::text;
            END IF;
        END IF;
        SELECT count(*) AS n, coalesce(sum(debit), 0) AS debit, coalesce(sum(credit), 0) AS credit,
               coalesce(bool_and(date = NEW.date), true) AS same_date
          INTO totals FROM books_entryline WHERE entry_id = NEW.id;
        IF totals.n < 2 OR totals.debit <> totals.credit OR totals.debit = 0 THEN
            RAISE EXCEPTION 'books: comprobante % is not balanced (% lines, debits %, credits %)',
                NEW.id, totals.n, totals.debit, totals.credit USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'unbalanced', 'lines', totals.n, 'debit', totals.debit,
                                           'credit', totals.credit)::text;
        END IF;
        IF NOT totals.same_date THEN
            RAISE EXCEPTION 'books: the lines of comprobante % are not dated %', NEW.id, NEW.date
                USING ERRCODE = 'check_violation', DETAIL = '{"code": "line_dates"}';
        END IF;
        SELECT l.account_id INTO bad_account FROM books_entryline l
         WHERE l.entry_id = NEW.id AND EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = l.account_id)
         LIMIT 1;
        IF bad_account IS NOT NULL THEN
            RAISE EXCEPTION 'books: account % has sub-accounts and takes no postings', bad_account
                USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'sub_accounts', 'account', bad_account)::text;
        END IF;
        NEW.total := totals.debit;
        RETURN NEW;
    END IF;
    IF OLD.status = 'posted' AND NEW.status = 'annulled'
       AND to_jsonb(NEW) - frozen = to_jsonb(OLD) - frozen THEN
        IF OLD.source <> 'closing' THEN
            SELECT t.code || '-' || e.number INTO found_label
              FROM books_entry e JOIN books_vouchertype t ON t.id = e.voucher_type_id
             WHERE e.source = 'closing' AND e.status = 'posted'
               AND EXTRACT(YEAR FROM e.date) = EXTRACT(YEAR FROM OLD.date)
             LIMIT 1;
            IF found_label IS NOT NULL THEN
                RAISE EXCEPTION 'books: % is closed by %', EXTRACT(YEAR FROM OLD.date), found_label
                    USING ERRCODE = 'check_violation',
                    DETAIL = json_build_object('code', 'closed_year', 'year', EXTRACT(YEAR FROM OLD.date)::int,
                                               'closing', found_label)::text;
            END IF;
        END IF;
        -- Annulling the closing reopens the year whatever the lock date (which the app gives back).
        IF locked IS NOT NULL AND OLD.date <= locked AND OLD.source <> 'closing' THEN
            RAISE EXCEPTION 'books: % is on or before the lock date %', OLD.date, locked
                USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'lock_date', 'date', OLD.date, 'lock', locked)::text;
        END IF;
        SELECT t.code || '-' || e.number INTO found_label
          FROM books_entry e JOIN books_vouchertype t ON t.id = e.voucher_type_id
         WHERE e.reversal_of_id = OLD.id AND e.status = 'posted'
         LIMIT 1;
        IF found_label IS NOT NULL THEN
            RAISE EXCEPTION 'books: comprobante % is reversed by %: annul the reversal to undo it', OLD.id,
                found_label USING ERRCODE = 'check_violation',
                DETAIL = json_build_object('code', 'reversed', 'reversal', found_label)::text;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'books: comprobante % is % and never changes (annul it or reverse it)', OLD.id, OLD.status
        USING ERRCODE = 'check_violation', DETAIL = '{"code": "never_changes"}';
END
$$;

CREATE OR REPLACE FUNCTION books_lines_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_lines n JOIN books_entry e ON e.id = n.entry_id
                WHERE e.status <> 'draft' OR n.date <> e.date) THEN
        RAISE EXCEPTION 'books: lines are added only to a draft, with its date'
            USING ERRCODE = 'check_violation', DETAIL = '{"code": "lines_of_a_draft"}';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION books_lines_updated() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_lines o JOIN books_entry e ON e.id = o.entry_id WHERE e.status <> 'draft')
       OR EXISTS (SELECT 1 FROM new_lines n JOIN books_entry e ON e.id = n.entry_id
                   WHERE e.status <> 'draft' OR n.date <> e.date) THEN
        RAISE EXCEPTION 'books: the lines of a posted or annulled comprobante never change'
            USING ERRCODE = 'check_violation', DETAIL = '{"code": "lines_of_a_draft"}';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION books_lines_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_lines o JOIN books_entry e ON e.id = o.entry_id WHERE e.status <> 'draft') THEN
        RAISE EXCEPTION 'books: the lines of a posted or annulled comprobante are never deleted'
            USING ERRCODE = 'check_violation', DETAIL = '{"code": "lines_of_a_draft"}';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION books_no_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM books_entry WHERE status <> 'draft') THEN
        RAISE EXCEPTION 'books: % cannot be emptied once comprobantes are posted', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', DETAIL = '{"code": "never_emptied"}';
    END IF;
    RETURN NULL;
END
$$;
"""

# Going back: the functions as 0006 made them (the balances' function is not touched here).
RULES_BEFORE = "\n".join(
    block
    for block in re.findall(
        r"CREATE OR REPLACE FUNCTION .*?\n\$\$;\n",
        import_module("books.migrations.0006_ledger_rules").FORWARD,
        flags=re.DOTALL,
    )
    if "books_balances_follow" not in block
)

FIRST, LAST = "'1990-01-01'", "'2100-12-31'"
MAX_AMOUNT = "999999999999999.99"


class Migration(migrations.Migration):
    dependencies = [
        ("books", "0013_report_export_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="periodevent",
            name="entry",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="books.entry",
                verbose_name="comprobante",
            ),
        ),
        migrations.AlterField(
            model_name="periodevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("lock", "Locked"),
                    ("unlock", "Unlocked"),
                    ("close", "Year closed"),
                    ("reopen", "Year reopened"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
        *(
            migrations.AlterField(
                model_name=model,
                name=side,
                field=models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=36),
            )
            for model in ("balance", "accountbalance", "accountdaybalance")
            for side in ("debit", "credit")
        ),
        migrations.AlterField(
            model_name="entry",
            name="total",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), max_digits=36, verbose_name="total"
            ),
        ),
        migrations.RunSQL(SETTINGS_ROW, migrations.RunSQL.noop),
        migrations.RunSQL(DUPLICATE_CLOSINGS, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                django.db.models.functions.datetime.ExtractYear("date"),
                condition=models.Q(("source", "closing"), ("status", "posted")),
                name="entry_one_closing_a_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "posted")),
                fields=("reversal_of",),
                name="entry_one_posted_reversal",
            ),
        ),
        migrations.AddConstraint(
            model_name="vouchertype",
            constraint=models.CheckConstraint(
                condition=models.Q(("next_number__gte", 1), ("next_number__lte", 1000000000)),
                name="voucher_type_next_number_range",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                check(
                    "books_entry", "entry_number_range", "number IS NULL OR number BETWEEN 1 AND 999999999"
                ),
                check("books_entry", "entry_date_window", f"date >= {FIRST} AND date <= {LAST}"),
                check(
                    "books_entryline",
                    "entry_line_amount_bound",
                    f"debit <= {MAX_AMOUNT} AND credit <= {MAX_AMOUNT}",
                ),
                check("books_entryline", "entry_line_date_window", f"date >= {FIRST} AND date <= {LAST}"),
            ],
            state_operations=[
                migrations.AddConstraint(
                    model_name="entry",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("number__isnull", True),
                            models.Q(("number__gte", 1), ("number__lte", 999999999)),
                            _connector="OR",
                        ),
                        name="entry_number_range",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="entry",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("date__gte", date(1990, 1, 1)), ("date__lte", date(2100, 12, 31))
                        ),
                        name="entry_date_window",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="entryline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("credit__lte", Decimal(MAX_AMOUNT)), ("debit__lte", Decimal(MAX_AMOUNT))
                        ),
                        name="entry_line_amount_bound",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="entryline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("date__gte", date(1990, 1, 1)), ("date__lte", date(2100, 12, 31))
                        ),
                        name="entry_line_date_window",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(RULES, RULES_BEFORE),
    ]
