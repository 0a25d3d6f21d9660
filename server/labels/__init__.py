"""Printable QR labels as PDF: segno makes the QR matrix, a tiny PDF writer
draws it as vector squares, Pillow rasterises the (Chinese and English) text.
Framework-free; called by services/setup_tags.py and the `rounds labels` CLI."""

from server.labels.sheet import Label, render_labels

__all__ = ["Label", "render_labels"]
