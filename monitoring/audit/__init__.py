"""The audit trail: who changed what, when, with values before and after."""
