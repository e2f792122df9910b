"""The audit trail: every Decision as a hash-chained row in SQLite or PostgreSQL, signed
checkpoints, verification, retention, usage reports and per-user quotas."""
