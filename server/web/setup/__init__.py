"""Setup pages for administrators (/console/setup/...): sites, locations,
labels, checklists, rounds, people, site export/import. One module per area;
app.py adds SETUP_HANDLERS to its routes."""

from server.web.setup import labels, locations, people, rounds, sites, templates, transfer, visits

SETUP_HANDLERS = [
    *sites.HANDLERS,
    *locations.HANDLERS,
    *labels.HANDLERS,
    *templates.HANDLERS,
    *rounds.HANDLERS,
    *people.HANDLERS,
    *transfer.HANDLERS,
    *visits.HANDLERS,
]

__all__ = ["SETUP_HANDLERS"]
