"""Rule 2 of the house: server/domain imports no framework, database, storage or imaging library."""

import ast
from pathlib import Path

import server.domain

FORBIDDEN = {"litestar", "piccolo", "boto3", "botocore", "PIL", "pillow_heif", "imagehash"}
DOMAIN = Path(server.domain.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_modules_import_no_framework():
    offenders = {
        path.name: sorted(imported_roots(path) & FORBIDDEN)
        for path in DOMAIN.rglob("*.py")
        if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}


def test_schedule_and_checklist_use_only_the_standard_library_and_domain():
    import sys

    for name in ("schedule.py", "checklist.py"):
        roots = imported_roots(DOMAIN / name) - {"server", "__future__"}
        assert roots <= sys.stdlib_module_names, (name, roots - sys.stdlib_module_names)
