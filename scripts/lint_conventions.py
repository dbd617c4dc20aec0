"""Project conventions that a linter does not know (STYLE.md): run by `make lint`.

- no `.objects.get(` in views: fetch through a scoped QuerySet;
- no bare `.delay(` outside tests: use `delay_on_commit` or the outbox;
- no `os.environ` outside settings, manage.py and the WSGI/ASGI/Celery entry points;
- no naive `datetime.now(` or `datetime.utcnow(`.
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
]


def main() -> int:
    problems = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
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
    sys.exit(main())
