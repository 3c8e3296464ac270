"""The command-line interface: thin, over the same services as the desktop app."""
