"""Small building blocks the forms share (a line edit with its own error line)."""
