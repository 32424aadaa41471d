"""The `numdesk` command line."""
