-- The ledger's rules, kept by PostgreSQL in every company schema so that no code path, admin action or raw
-- SQL breaks them: the trigger functions and the triggers that run them, as they are today. (Migrations
-- 0006, 0009, 0010, 0014 and 0015 of books wrote them step by step; they stay as they are, as history.)
--
-- Applied in the company's schema (search_path: the schema, then public) by the books migrations that hold
-- books.sql.LedgerRules. Every statement is CREATE OR REPLACE: the file applies over what is there. Change
-- it only together with a new migration that applies it again (tests/books/test_ledger_sql.py asks for
-- one): existing companies get the change from that migration, new ones from the recorded migration SQL
-- that firms.provisioning replays. Plain SQL only: it goes through the migration's cursor.
--
-- Every function keeps the search_path it was created with (SET search_path FROM CURRENT: the company's
-- schema), so that it reads the company's own tables whatever the session's search_path.
-- books_balances_follow is SECURITY DEFINER: it runs as its owner, the owner role, because the app role may
-- only read the kept balances (core.database). CREATE OR REPLACE makes a function SECURITY INVOKER unless
-- it says otherwise, so it says so here.
--
-- Every refusal carries a code in its DETAIL (JSON: {"code": ..., and its values}), which
-- books.services.common turns into the accountant's message.

-- Comprobantes (books_entry) --------------------------------------------------------------------------------
-- - a comprobante is inserted as a draft; only a draft is deleted;
-- - posting (draft -> posted) requires a number, at least two lines, debits = credits > 0, every line dated
--   with the comprobante, movement accounts only (accounts without sub-accounts), and a date after the lock
--   date;
-- - a posted comprobante never changes, except to be annulled (after the lock date); an annulled one never
--   changes again;
-- - a reversal in effect keeps its original from being annulled or reversed again, and a reversal is not
--   reversed (annulling it undoes it);
-- - a year-end closing is dated 31 December of a year that has ended; nothing is posted or annulled in a
--   closed year but the closing itself, which is posted or annulled whatever the lock date (the app moves
--   the lock date with it);
-- - the lock date is read FOR SHARE when posting or annulling: a lock date or closing being set waits for
--   the postings under way, and a posting that waited sees the new date.

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

CREATE OR REPLACE TRIGGER books_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON books_entry
    FOR EACH ROW EXECUTE FUNCTION books_entry_guard();

-- Lines (books_entryline) -----------------------------------------------------------------------------------
-- Lines are added, changed or deleted only while their comprobante is a draft, dated with it.

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

CREATE OR REPLACE TRIGGER books_lines_inserted AFTER INSERT ON books_entryline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION books_lines_inserted();
CREATE OR REPLACE TRIGGER books_lines_updated AFTER UPDATE ON books_entryline
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION books_lines_updated();
CREATE OR REPLACE TRIGGER books_lines_deleted AFTER DELETE ON books_entryline
    REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION books_lines_deleted();

-- The kept balances -----------------------------------------------------------------------------------------
-- books_balance (account x tercero x centre x month), books_accountbalance (account x month) and
-- books_accountdaybalance (account x day) follow every posting (+) and annulment (-) in the same statement.

CREATE OR REPLACE FUNCTION books_balances_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    WITH changed AS (
        SELECT l.account_id, l.third_party_id, l.cost_center_id, l.date AS day,
               sum(l.debit * moved.sign) AS debit, sum(l.credit * moved.sign) AS credit,
               sum(moved.sign) AS lines
          FROM (SELECT n.id, CASE WHEN n.status = 'posted' THEN 1 ELSE -1 END AS sign
                  FROM new_entries n JOIN old_entries o ON o.id = n.id
                 WHERE (o.status = 'draft' AND n.status = 'posted')
                    OR (o.status = 'posted' AND n.status = 'annulled')) AS moved
          JOIN books_entryline l ON l.entry_id = moved.id
         GROUP BY 1, 2, 3, 4
    ), detailed AS (
        INSERT INTO books_balance (account_id, third_party_id, cost_center_id, period, debit, credit)
        SELECT account_id, third_party_id, cost_center_id, date_trunc('month', day)::date, sum(debit), sum(credit)
          FROM changed GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (account_id, third_party_id, cost_center_id, period) DO UPDATE
           SET debit = books_balance.debit + EXCLUDED.debit, credit = books_balance.credit + EXCLUDED.credit
        RETURNING 1
    ), monthly AS (
        INSERT INTO books_accountbalance (account_id, period, debit, credit)
        SELECT account_id, date_trunc('month', day)::date, sum(debit), sum(credit)
          FROM changed GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (account_id, period) DO UPDATE
           SET debit = books_accountbalance.debit + EXCLUDED.debit,
               credit = books_accountbalance.credit + EXCLUDED.credit
        RETURNING 1
    )
    INSERT INTO books_accountdaybalance (day, account_id, debit, credit, lines)
    SELECT day, account_id, sum(debit), sum(credit), sum(lines) FROM changed GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, account_id) DO UPDATE
       SET debit = books_accountdaybalance.debit + EXCLUDED.debit,
           credit = books_accountdaybalance.credit + EXCLUDED.credit,
           lines = books_accountdaybalance.lines + EXCLUDED.lines;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER books_balances_follow AFTER UPDATE ON books_entry
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION books_balances_follow();

-- Nothing is emptied at once --------------------------------------------------------------------------------
-- TRUNCATE of the comprobantes, their lines or the kept balances is refused once anything is posted.

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

CREATE OR REPLACE TRIGGER books_entry_no_truncate BEFORE TRUNCATE ON books_entry
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE OR REPLACE TRIGGER books_entryline_no_truncate BEFORE TRUNCATE ON books_entryline
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE OR REPLACE TRIGGER books_balance_no_truncate BEFORE TRUNCATE ON books_balance
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE OR REPLACE TRIGGER books_accountbalance_no_truncate BEFORE TRUNCATE ON books_accountbalance
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE OR REPLACE TRIGGER books_accountdaybalance_no_truncate BEFORE TRUNCATE ON books_accountdaybalance
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
