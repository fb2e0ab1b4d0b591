"""Review: the analyst's verdicts, notes and audit trail, stored in SQLite, and the review CSV."""
