"""The vocabulary every layer shares: pydantic models, the error tree, capabilities."""
