from django.db import migrations

# The app role may only read the kept balances (core.database): they change inside the posting trigger,
# whose function runs as its owner (SECURITY DEFINER, with the schema's search_path fixed at creation), and
# the nightly repair runs as the owner role. Emptying them is refused as for the lines.
FORWARD = """
ALTER FUNCTION books_balances_follow() SECURITY DEFINER;
CREATE TRIGGER books_balance_no_truncate BEFORE TRUNCATE ON books_balance
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE TRIGGER books_accountbalance_no_truncate BEFORE TRUNCATE ON books_accountbalance
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
CREATE TRIGGER books_accountdaybalance_no_truncate BEFORE TRUNCATE ON books_accountdaybalance
    FOR EACH STATEMENT EXECUTE FUNCTION books_no_truncate();
"""
BACKWARD = """
DROP TRIGGER books_accountdaybalance_no_truncate ON books_accountdaybalance;
DROP TRIGGER books_accountbalance_no_truncate ON books_accountbalance;
DROP TRIGGER books_balance_no_truncate ON books_balance;
ALTER FUNCTION books_balances_follow() SECURITY INVOKER;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("books", "0014_ledger_bounds_and_refusals"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
