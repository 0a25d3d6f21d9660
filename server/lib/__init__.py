"""Small framework-free helpers."""
