"""What people see: assessment and ledger workbooks, text tables, CSV and JSON (one
renderer), and the check of a workbook someone sent. Sits above every result it writes."""
