"""The JSON API under /api/v1, authenticated with personal bearer tokens."""
