"""Composition root: builds backends from store profiles and offers them to the UI and CLI."""
