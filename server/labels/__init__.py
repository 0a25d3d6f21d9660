"""Printable QR labels as PDF: segno makes the QR matrix, a tiny PDF writer
draws it as vector squares, the text is real PDF text in Type3 fonts built from the CJK font.
Framework-free; called by services/setup_tags.py and the `rounds labels` CLI."""

from server.labels.sheet import Label, render_labels

__all__ = ["Label", "render_labels"]
