"""The home page each role lands on, the health check and the accessibility statement."""
