"""The ledger's rules, enforced by PostgreSQL itself so that no code path, admin action or raw SQL breaks them:

- a comprobante is inserted as a draft; only a draft is deleted;
- posting (draft → posted) requires a number, at least two lines, debits = credits > 0, every line dated
  with the comprobante, movement accounts only (accounts without sub-accounts), and a date after the lock
  date;
- a posted comprobante never changes, except to be annulled (after the lock date); an annulled one never
  changes again;
- lines are added, changed or deleted only while their comprobante is a draft; TRUNCATE is refused once
  anything is posted;
- books_balance follows every posting (+) and annulment (−) in the same statement.

The functions keep the search_path they were created with (the company's schema), so that they read the
company's own tables whatever the session's search_path.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION books_entry_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    locked date;
    totals record;
    bad_account text;
    frozen text[] := ARRAY['status', 'annulled_by_id', 'annulled_by_name', 'annulled_at', 'annul_reason'];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'books: a comprobante is created as a draft and posted afterwards'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'books: comprobante % is % and is never deleted', OLD.id, OLD.status
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    SELECT lock_date INTO locked FROM books_bookssettings LIMIT 1;
    IF OLD.status = 'draft' THEN
        IF NEW.status = 'draft' THEN
            RETURN NEW;
        END IF;
        IF NEW.status <> 'posted' THEN
            RAISE EXCEPTION 'books: a draft can only be posted' USING ERRCODE = 'check_violation';
        END IF;
        IF locked IS NOT NULL AND NEW.date <= locked THEN
            RAISE EXCEPTION 'books: % is on or before the lock date %', NEW.date, locked
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT count(*) AS n, coalesce(sum(debit), 0) AS debit, coalesce(sum(credit), 0) AS credit,
               coalesce(bool_and(date = NEW.date), true) AS same_date
          INTO totals FROM books_entryline WHERE entry_id = NEW.id;
        IF totals.n < 2 OR totals.debit <> totals.credit OR totals.debit = 0 THEN
            RAISE EXCEPTION 'books: comprobante % is not balanced (% lines, debits %, credits %)',
                NEW.id, totals.n, totals.debit, totals.credit USING ERRCODE = 'check_violation';
        END IF;
        IF NOT totals.same_date THEN
            RAISE EXCEPTION 'books: the lines of comprobante % are not dated %', NEW.id, NEW.date
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT l.account_id INTO bad_account FROM books_entryline l
         WHERE l.entry_id = NEW.id AND EXISTS (SELECT 1 FROM books_account c WHERE c.parent_id = l.account_id)
         LIMIT 1;
        IF bad_account IS NOT NULL THEN
            RAISE EXCEPTION 'books: account % has sub-accounts and takes no postings', bad_account
                USING ERRCODE = 'check_violation';
        END IF;
        NEW.total := totals.debit;
        RETURN NEW;
    END IF;
    IF to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    IF OLD.status = 'posted' AND NEW.status = 'annulled'
       AND to_jsonb(NEW) - frozen = to_jsonb(OLD) - frozen THEN
        IF locked IS NOT NULL AND OLD.date <= locked THEN
            RAISE EXCEPTION 'books: % is on or before the lock date %', OLD.date, locked
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'books: comprobante % is % and never changes (annul it or reverse it)', OLD.id, OLD.status
        USING ERRCODE = 'check_violation';
END
$$;

CREATE TRIGGER books_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON books_entry
    FOR EACH ROW EXECUTE FUNCTION books_entry_guard();

CREATE OR REPLACE FUNCTION books_lines_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_lines n JOIN books_entry e ON e.id = n.entry_id
                WHERE e.status <> 'draft' OR n.date <> e.date) THEN
        RAISE EXCEPTION 'books: lines are added only to a draft, with its date' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER books_lines_inserted AFTER INSERT ON books_entryline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION books_lines_inserted();

CREATE OR REPLACE FUNCTION books_lines_updated() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_lines o JOIN books_entry e ON e.id = o.entry_id WHERE e.status <> 'draft')
       OR EXISTS (SELECT 1 FROM new_lines n JOIN books_entry e ON e.id = n.entry_id
                   WHERE e.status <> 'draft' OR n.date <> e.date) THEN
        RAISE EXCEPTION 'books: the lines of a posted or annulled comprobante never change'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER books_lines_updated AFTER UPDATE ON books_entryline
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION books_lines_updated();

CREATE OR REPLACE FUNCTION books_lines_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_lines o JOIN books_entry e ON e.id = o.entry_id WHERE e.status <> 'draft') THEN
        RAISE EXCEPTION 'books: the lines of a posted or annulled comprobante are never deleted'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER books_lines_deleted AFTER DELETE ON books_entryline
    REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION books_lines_deleted();

CREATE OR REPLACE FUNCTION books_no_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM books_entry WHERE status <> 'draft') THEN
        RAISE EXCEPTION 'books: % cannot be emptied once comprobantes are posted', TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER books_entry_no_truncate BEFORE TRUNCATE ON books_entry
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE TRIGGER books_entryline_no_truncate BEFORE TRUNCATE ON books_entryline
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();

CREATE OR REPLACE FUNCTION books_balances_follow() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO books_balance (account_id, third_party_id, cost_center_id, period, debit, credit)
    SELECT l.account_id, l.third_party_id, l.cost_center_id, date_trunc('month', l.date)::date,
           sum(l.debit * changed.sign), sum(l.credit * changed.sign)
      FROM (SELECT n.id, CASE WHEN n.status = 'posted' THEN 1 ELSE -1 END AS sign
              FROM new_entries n JOIN old_entries o ON o.id = n.id
             WHERE (o.status = 'draft' AND n.status = 'posted')
                OR (o.status = 'posted' AND n.status = 'annulled')) AS changed
      JOIN books_entryline l ON l.entry_id = changed.id
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (account_id, third_party_id, cost_center_id, period) DO UPDATE
       SET debit = books_balance.debit + EXCLUDED.debit, credit = books_balance.credit + EXCLUDED.credit;
    RETURN NULL;
END
$$;

CREATE TRIGGER books_balances_follow AFTER UPDATE ON books_entry
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION books_balances_follow();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS books_balances_follow ON books_entry;
DROP TRIGGER IF EXISTS books_entryline_no_truncate ON books_entryline;
DROP TRIGGER IF EXISTS books_entry_no_truncate ON books_entry;
DROP TRIGGER IF EXISTS books_lines_deleted ON books_entryline;
DROP TRIGGER IF EXISTS books_lines_updated ON books_entryline;
DROP TRIGGER IF EXISTS books_lines_inserted ON books_entryline;
DROP TRIGGER IF EXISTS books_entry_guard ON books_entry;
DROP FUNCTION IF EXISTS books_balances_follow(), books_no_truncate(), books_lines_deleted(),
    books_lines_updated(), books_lines_inserted(), books_entry_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("books", "0005_voucher_types")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
