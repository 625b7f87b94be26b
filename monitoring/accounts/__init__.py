"""Accounts: signing in and out, passwords, roles, personal API tokens."""
