"""Qt item models over the customer service's pages and records."""
