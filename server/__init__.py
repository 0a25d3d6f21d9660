"""Rounds: offline-first inspection rounds for property-management field staff."""
