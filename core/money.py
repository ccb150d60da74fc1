"""Money: Decimal with two places, stored as NUMERIC(…, 2). The columns' widths, for every app."""

from decimal import Decimal

ZERO = Decimal("0.00")
# One amount, such as a comprobante's line.
MONEY = {"max_digits": 18, "decimal_places": 2}
# Sums of amounts (comprobante totals, the kept balances, the board's figures): line ids are bigint (fewer
# than 9.3e18 lines) and each line is under 1e15, so no sum of lines reaches 1e34 and NUMERIC(36,2) never
# overflows, whatever is posted.
SUMS = {"max_digits": 36, "decimal_places": 2}
