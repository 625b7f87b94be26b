"""The governance cycle: meeting types and their calendar, agendas, outcomes, minutes, actions,
deep dives and escalations (DOMAIN.md "The monitoring cycle")."""
