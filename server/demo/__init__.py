"""Demo data for Rounds: one office tower with its people, checklists and rounds."""
