#!/usr/bin/env python3
"""French typography in templates: a no-break space before « ? ! : ; » and inside « ».

    python scripts/typo_fr.py                 # list what would change, exit 1 if anything would
    python scripts/typo_fr.py --fix [FILES…]  # write the no-break spaces (U+00A0)

Only what a reader sees is touched: the template's text outside HTML tags, ``<script>`` and
``<style>`` (blocktranslate bodies included), and the string literals of ``{% translate %}`` and
``_("…")``. Variables, tag syntax, attributes, URLs and CSS stay as they are. The character is the
no-break space itself (not ``&nbsp;``), so that it holds in attributes, plain-text e-mails and
strings a script reads.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
TAG = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.S)  # Django's own template tag pattern
# A space before ? ! : ; » that follows a word (or ends a segment), the mark followed by a space, a quote or the end.
BEFORE = re.compile(r"(?<=[^\s(\[/=])[ ]([?!:;»])(?=[\s\"'<)\].,]|$)")
BEFORE_AT_START = re.compile(r"^[ ]([?!:;»])(?=[\s\"'<)\].,]|$)")
AFTER_OPENING = re.compile(r"«[ ]")
LITERAL = re.compile(r"""(?P<q>["'])(?P<s>(?:(?!(?P=q)).)*)(?P=q)""")
HTML_TAG = re.compile(r"<[^<>]*>")
SKIPPED_ELEMENTS = re.compile(r"<(script|style|textarea|pre)\b.*?</\1>", re.S | re.I)


def fix_text(text: str, *, at_segment_start: bool = False) -> str:
    """The human text ``text`` with its no-break spaces."""
    text = BEFORE.sub(NBSP + r"\1", text)
    if at_segment_start:
        text = BEFORE_AT_START.sub(NBSP + r"\1", text)
    return AFTER_OPENING.sub("«" + NBSP, text)


def _fix_markup(segment: str, *, at_segment_start: bool) -> str:
    """A template text segment: fix the text between HTML tags, leave tags and scripts alone. Text
    right after a variable or an HTML tag may start with the space to fix (« {{ q }} » or « <strong>…</strong> »)."""
    out, last = [], 0
    for match in HTML_TAG.finditer(segment):
        out.append(fix_text(segment[last : match.start()], at_segment_start=at_segment_start or last > 0))
        out.append(match.group(0))
        last = match.end()
    out.append(fix_text(segment[last:], at_segment_start=at_segment_start or last > 0))
    return "".join(out)


def _fix_tag(tag: str) -> str:
    """A ``{% translate "…" %}`` tag or any tag with ``_("…")``: fix its string literals only."""
    inner = tag[2:-2].strip()
    name = inner.split(" ", 1)[0]
    if name in {"translate", "trans"}:
        return LITERAL.sub(lambda m: m.group("q") + fix_text(m.group("s")) + m.group("q"), tag, count=1)
    return re.sub(r"""_\((["'])(.*?)\1\)""", lambda m: "_(" + m.group(1) + fix_text(m.group(2)) + m.group(1) + ")", tag)


def fix_template(source: str) -> str:
    """The template ``source`` with French no-break spaces where a reader sees them."""
    protected: list[str] = []

    def protect(match):
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    source = SKIPPED_ELEMENTS.sub(protect, source)
    parts = TAG.split(source)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            out.append(_fix_tag(part) if part.startswith("{%") or part.startswith("{{") else part)
        else:
            after_tag = index > 0 and not parts[index - 1].startswith("{#")
            out.append(_fix_markup(part, at_segment_start=after_tag))
    result = "".join(out)
    return re.sub("\x00(\\d+)\x00", lambda m: protected[int(m.group(1))], result)


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    files = [Path(a) for a in argv if not a.startswith("--")] or sorted((ROOT / "templates").rglob("*.html"))
    changed = 0
    for path in files:
        source = path.read_text(encoding="utf-8")
        fixed = fix_template(source)
        if fixed == source:
            continue
        changed += 1
        if fix:
            path.write_text(fixed, encoding="utf-8")
        else:
            for number, (old, new) in enumerate(zip(source.splitlines(), fixed.splitlines(), strict=False), 1):
                if old != new:
                    print(f"{path.relative_to(ROOT) if path.is_absolute() else path}:{number}: {new.strip()[:160]}")
    if changed and not fix:
        print(f"{changed} gabarit(s) sans espaces insécables : python scripts/typo_fr.py --fix", file=sys.stderr)
    return 1 if changed and not fix else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
