"""The books' reports, each a function of the company's schema that the page, its exports and the commands
share: the trial balance (`trial_balance`), the ledgers (`ledgers`: libro auxiliar, diario, mayor y
balances) and the financial statements (`statements`)."""
