"""Reusable widgets: the filter bar and the customer editor's tabs."""
