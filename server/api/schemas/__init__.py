"""Typed request and reply bodies of the field API, so /schema/openapi.json is
the contract. The models check shape only (types, lengths, allowed keys); the
domain still checks the raw body and gives the specific codes (invalid_kind,
invalid_time, ...), and services fingerprint the raw body so resends match."""
