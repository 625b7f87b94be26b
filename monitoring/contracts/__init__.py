"""Contracts: the council and trust organisations and the terms of the contract between them."""
