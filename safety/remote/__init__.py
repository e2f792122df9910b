"""Remote moderation services. Only `settings` is imported eagerly (config parsing);
the SDK-backed modules load when a remote checker is first built."""
