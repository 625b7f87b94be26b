"""Shared building blocks used by every business area: database base, types, time and periods."""
