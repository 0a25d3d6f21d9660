"""Use cases that touch the database and storage. No Litestar imports here."""
