"""One screen a module: the app's modes and its help screen."""
