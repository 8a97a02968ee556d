"""The world on a date: shipped data files, UN scales (and users' scale files, and the UN's own
workbook), states keyed by ISO3, and dated groups. Reads files; computes nothing."""
