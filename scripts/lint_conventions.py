"""Project conventions that a linter does not know (STYLE.md): run by `make lint`.

- no `.objects.get(` in views: fetch through a scoped QuerySet;
- no bare `.delay(` outside tests: use `delay_on_commit` or the outbox;
- no `os.environ` outside settings, manage.py and the WSGI/ASGI/Celery entry points;
- no naive `datetime.now(` or `datetime.utcnow(`;
- « is this member staff? » is asked of `reseau_acv/core/permissions.py` only (`is_equipe(user)`,
  `may_moderate`, `may_animate`; `viewer_is_equipe` in templates), never as `user.is_equipe`;
- no service imported by a `selectors.py`: reads never call writes (no services ↔ selectors cycle);
- no `csv.writer(` outside `reseau_acv/core/csv_export.py`: every export neutralises formulas there.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "node_modules", "migrations", "staticfiles", "var"}
ENTRY_POINTS = {"manage.py", "reseau_acv/celery.py", "reseau_acv/wsgi.py", "reseau_acv/asgi.py"}

RULES = [
    (
        re.compile(r"\.objects\.get\("),
        lambda p: p.name == "views.py",
        "fetch through a scoped QuerySet, not .objects.get( in a view",
    ),
    (
        re.compile(r"\.delay\("),
        lambda p: not str(p).startswith("tests/") and not str(p).startswith("scripts/"),
        "use delay_on_commit or the outbox, not a bare .delay(",
    ),
    (
        re.compile(r"\bos\.environ\b"),
        lambda p: not str(p).startswith(("reseau_acv/settings/", "tests/", "scripts/")) and str(p) not in ENTRY_POINTS,
        "read the environment in settings only",
    ),
    (re.compile(r"datetime\.(now|utcnow)\(\s*\)"), lambda p: True, "naive datetime: use django.utils.timezone.now()"),
    (
        re.compile(r"\.is_equipe\b"),
        lambda p: str(p) not in STAFF_FACTS and not str(p).startswith(("tests/", "scripts/")),
        "ask reseau_acv.core.permissions (is_equipe, may_moderate, may_animate; viewer_is_equipe in templates)",
    ),
    (
        re.compile(r"^\s*(from\s+\S*services\S*\s+import|from\s+\S+\s+import\s+.*\bservices\b|import\s+\S*services)"),
        lambda p: p.name == "selectors.py",
        "selectors read and import no service (the dependency runs services -> selectors)",
    ),
    (
        re.compile(r"\bcsv\.(writer|DictWriter)\("),
        lambda p: not str(p).startswith(("tests/", "scripts/")) and str(p) != "reseau_acv/core/csv_export.py",
        "write CSV exports with reseau_acv.core.csv_export.csv_response (it neutralises formulas)",
    ),
]
# The role fact lives on the user model; the one predicate that reads it is in core.
STAFF_FACTS = {"reseau_acv/comptes/models.py", "reseau_acv/core/permissions.py"}


def main(root: Path = ROOT) -> int:
    problems = []
    for path in [*root.rglob("*.py"), *root.glob("templates/**/*.html")]:
        rel = path.relative_to(root)
        if SKIP_DIRS & set(rel.parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "noqa: convention" in line:
                continue
            for pattern, applies, message in RULES:
                if applies(rel) and pattern.search(line):
                    problems.append(f"{rel}:{number}: {message}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))
