"""The books' use cases, by subject: `chart`, `catalogs` (terceros, cost centres, voucher types),
`entries` (drafts, posting, annulment, reversal), `periods` (lock date, year-end closing) and
`balances` (the nightly check)."""
