"""Finance: the trust's finance returns, the care ladder and the council/trust risk share."""
