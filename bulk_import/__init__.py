"""Bulk registration of companies from a CSV/XLSX spreadsheet: the bulk-import issue."""
