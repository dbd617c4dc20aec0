"""Precision and recall of the town tagging on the labelled headlines (development and held-out sets).

    python manage.py evaluer_etiquetage [--erreurs] [--fichier PATH]

No database is needed: the tracked towns are the region's reference lists, as in the tests.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from panorama.evaluation import DEVELOPMENT, HELD_OUT, evaluate, regional_towns
from panorama.matching import build_matcher


class Command(BaseCommand):
    help = "Mesure la précision et le rappel de l'étiquetage des villes sur les titres étiquetés."

    def add_arguments(self, parser):
        parser.add_argument("--fichier", type=Path, action="append", help="Un fichier étiqueté (répétable).")
        parser.add_argument("--erreurs", action="store_true", help="Lister les titres mal étiquetés.")

    def handle(self, *args, fichier, erreurs, **options):
        matcher = build_matcher(regional_towns())
        files = fichier or [DEVELOPMENT, HELD_OUT]
        total_tp = total_fp = total_fn = total_rows = 0
        for path in files:
            score = evaluate(path, matcher)
            total_rows += score.rows
            total_tp, total_fp, total_fn = total_tp + score.tp, total_fp + score.fp, total_fn + score.fn
            self.stdout.write(
                f"{path.name} : {score.rows} titres, précision {score.precision:.3f}, rappel {score.recall:.3f} "
                f"(VP {score.tp}, FP {score.fp}, FN {score.fn})"
            )
            for label, counts in sorted(score.by_class.items()):
                self.stdout.write(
                    f"    {label:<12} {counts['rows']:>4} titres  FP {counts['fp']:>3}  FN {counts['fn']:>3}"
                )
            if erreurs:
                for miss in score.misses:
                    self.stdout.write(
                        f"    ✗ {miss.titre} [{miss.departements}] attendu {sorted(miss.attendus) or '—'}, "
                        f"trouvé {sorted(miss.trouves) or '—'} ({miss.note})"
                    )
        if len(files) > 1:
            precision = total_tp / (total_tp + total_fp) if total_tp + total_fp else 1.0
            recall = total_tp / (total_tp + total_fn) if total_tp + total_fn else 1.0
            self.stdout.write(
                self.style.SUCCESS(f"Ensemble : {total_rows} titres, précision {precision:.3f}, rappel {recall:.3f}")
            )
