"""Supervision console pages: today board, visits, photo review, findings,
spot checks, daily report. One module per area; app.py wires the list."""

from server.web.supervision.board import board_page, visits_page
from server.web.supervision.findings import (
    finding_fix,
    finding_page,
    finding_rectify,
    findings_page,
)
from server.web.supervision.reports import report_csv, report_page, report_sign
from server.web.supervision.review import review_decide, review_page
from server.web.supervision.spot_checks import spot_check_page, spot_checks_page
from server.web.supervision.visits import visit_page

SUPERVISION_HANDLERS = [
    board_page, visits_page, visit_page, review_page, review_decide, findings_page, finding_page,
    finding_fix, finding_rectify, spot_checks_page, spot_check_page, report_page, report_csv, report_sign,
]
