"""Modal dialogs that screens push to confirm or edit one thing."""
