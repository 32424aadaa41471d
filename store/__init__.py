"""The SQLite store and the sandbox account that works on it alone."""
