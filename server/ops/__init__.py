"""Operator commands beyond the core CLI: housekeeping, backup and restore."""
