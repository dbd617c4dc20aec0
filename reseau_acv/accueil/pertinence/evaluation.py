"""The relevance bench: load the labelled corpus, ask each page, score the answers.

Metrics, per page (``global``: the global search's best results; ``bibliotheque``: the
library's resources):

- nDCG@10 with graded gains (2^grade - 1), over the queries that have relevant documents for
  that page;
- P@5: the share of the first five results that are relevant (1 or 2);
- zero-result rate: the share of queries with relevant documents that get no result at all;
- noise: the share of the (at most ten) results shown that are not relevant, averaged over all
  queries, gibberish included (a gibberish query that shows anything is all noise).

The baseline is a plain BM25 (k1 = 1.2, b = 0.75) over the same documents' text, folded,
stemmed in French and without stop words: it is computed here, independently of the engine.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import snowballstemmer
from django.utils import timezone

from . import corpus, requetes, requetes_reservees, requetes_reservees_2

K = 10
Judgements = dict[str, int]
Ranker = Callable[[str], list[str]]  # query -> document keys, best first


# --- metrics -------------------------------------------------------------------------------------


def ndcg_at(ranked: list[str], judged: Judgements, k: int = K) -> float:
    dcg = sum((2 ** judged.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision_at(ranked: list[str], judged: Judgements, k: int = 5) -> float:
    return sum(1 for key in ranked[:k] if judged.get(key, 0) > 0) / k


def noise(ranked: list[str], judged: Judgements, k: int = K) -> float:
    shown = ranked[:k]
    if not shown:
        return 0.0
    return sum(1 for key in shown if judged.get(key, 0) == 0) / len(shown)


@dataclass
class Scores:
    ndcg: float = 0.0
    p5: float = 0.0
    zero: float = 0.0
    noise: float = 0.0
    n_queries: int = 0
    by_category: dict[str, float] = field(default_factory=dict)
    misses: list[tuple[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "ndcg": self.ndcg,
            "p5": self.p5,
            "zero": self.zero,
            "noise": self.noise,
            "n_queries": self.n_queries,
            "by_category": self.by_category,
            "misses": self.misses,
        }


def evaluate(ranker: Ranker, queries: list[tuple[str, str, Judgements]], *, keep: Callable[[str], bool]) -> Scores:
    """Score ``ranker`` on ``queries``; ``keep`` says which document keys the page may show."""
    ndcgs, p5s, zeros, noises = [], [], [], []
    per_category: dict[str, list[float]] = {}
    misses = []
    for text, category, judged_all in queries:
        judged = {key: grade for key, grade in judged_all.items() if keep(key)}
        ranked = [key for key in ranker(text) if keep(key)]
        noises.append(noise(ranked, judged))
        if not judged:
            continue
        value = ndcg_at(ranked, judged)
        ndcgs.append(value)
        p5s.append(precision_at(ranked, judged))
        zeros.append(0.0 if ranked else 1.0)
        per_category.setdefault(category, []).append(value)
        misses.append((text, round(value, 3)))
    mean = lambda values: sum(values) / len(values) if values else 0.0  # noqa: E731 (a local one-liner)
    return Scores(
        ndcg=mean(ndcgs),
        p5=mean(p5s),
        zero=mean(zeros),
        noise=mean(noises),
        n_queries=len(ndcgs),
        by_category={name: mean(values) for name, values in sorted(per_category.items())},
        misses=sorted(misses, key=lambda item: item[1])[:8],
    )


TUNING = "reglage"  # the only part the engine may be tuned on; the others are held out


def parts() -> dict[str, list]:
    """The labelled queries by part: the tuning part, then the held-out ones (never tuned on)."""
    return {
        TUNING: list(requetes.REQUETES),
        "reservee": list(requetes_reservees.REQUETES),
        "reservee-2": list(requetes_reservees_2.REQUETES),
    }


# --- the BM25 baseline ---------------------------------------------------------------------------

_STEMMER = snowballstemmer.stemmer("french")
_WORD = re.compile(r"\w+")
_STOP_WORDS = (
    "a au aux avec ce ces comment d dans de des du elle en est et eux il je l la le les leur lui ma mais me "
    "meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes toi "
    "ton tu un une vos votre vous y faire faut quel quelle quels quelles"
)
_STOP = set(_STOP_WORDS.split())


def baseline_tokens(text: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return [_STEMMER.stemWord(word) for word in _WORD.findall(folded) if word not in _STOP]


class BM25:
    def __init__(self, documents: dict[str, str], *, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.docs = {key: Counter(baseline_tokens(text)) for key, text in documents.items()}
        self.lengths = {key: sum(counts.values()) for key, counts in self.docs.items()}
        self.avg = sum(self.lengths.values()) / max(len(self.docs), 1)
        df: Counter = Counter()
        for counts in self.docs.values():
            df.update(counts.keys())
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}

    def rank(self, query: str) -> list[str]:
        terms = baseline_tokens(query)
        scores = {}
        for key, counts in self.docs.items():
            score = 0.0
            for term in terms:
                tf = counts.get(term, 0)
                if tf:
                    norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[key] / self.avg)
                    score += self.idf[term] * tf * (self.k1 + 1) / norm
            if score > 0:
                scores[key] = score
        return sorted(scores, key=lambda key: (-scores[key], key))[:K]


def corpus_texts() -> dict[str, str]:
    """Every document's text as the baseline sees it: all its fields, its towns and themes."""
    from reseau_acv.core.models import Theme

    themes = dict(Theme.objects.values_list("slug", "nom"))
    texts = {}
    for key, titre, resume, corps, _type, villes, slugs, _date in corpus.RESSOURCES:
        texts[key] = " ".join([titre, resume, corps, *villes, *(themes[s] for s in slugs)])
    for key, titre, ville, *fields, _dt, _lt, slugs, _date in corpus.RETOURS:
        texts[key] = " ".join([titre, ville, *fields, *(themes[s] for s in slugs)])
    for key, titre, corps, reponses, villes, slugs, _date in corpus.QUESTIONS:
        texts[key] = " ".join([titre, corps, *reponses, *villes, *(themes[s] for s in slugs)])
    for key, titre, resume, points, _type, ville, slugs, _date in corpus.RENCONTRES:
        texts[key] = " ".join([titre, resume, *points, ville or "", *(themes[s] for s in slugs)])
    for key, titre, resume, flux, villes, slugs, _date in corpus.ARTICLES:
        texts[key] = " ".join([titre, resume, flux, *villes, *(themes[s] for s in slugs)])
    return texts


# --- loading the corpus --------------------------------------------------------------------------


def _when(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(10)))


def load_corpus() -> tuple[dict[str, str], object]:
    """Create the corpus's documents (published, network level) and index them the way the
    platform's services do. Returns (URL → key, a project lead who searches)."""
    from django.utils.text import slugify

    from panorama.models import ArticlePresse, Parution, Source
    from rencontres.models import PointOrdreDuJour, Rencontre
    from reseau_acv.comptes.models import Role, User
    from reseau_acv.core.models import Theme
    from ressources.models import Message, Question, Ressource, RetourExperience, Statut
    from villes.models import Ville

    from . import indexing

    staff = User.objects.create_user("bench-equipe@reseau-acv.test", role=Role.EQUIPE)
    lead = User.objects.create_user("bench-chef@reseau-acv.test", role=Role.CHEF_DE_PROJET)
    themes = {t.slug: t for t in Theme.objects.all()}
    names = {
        *(v for row in corpus.RESSOURCES for v in row[5]),
        *(row[2] for row in corpus.RETOURS),
        *(v for row in corpus.ARTICLES for v in row[4]),
        *(row[5] for row in corpus.RENCONTRES if row[5]),
    }
    villes = {}
    for i, nom in enumerate(sorted(names)):
        villes[nom] = Ville.objects.filter(nom=nom).first() or Ville.objects.create(
            code_insee=f"{99000 + i:05d}",
            nom=nom,
            slug=f"bench-{slugify(nom)}",
            departement_code="41",
            departement_nom="Loir-et-Cher",
        )
    urls: dict[str, str] = {}
    made: dict[str, list] = {"ressources": [], "retours": [], "questions": [], "rencontres": [], "articles": []}

    def common(key, day):
        return {"auteur": staff, "statut": Statut.PUBLIE, "publie_le": _when(day), "visibilite": "reseau"}

    for key, titre, resume, corps_, type_, noms, slugs, day in corpus.RESSOURCES:
        obj = Ressource.objects.create(
            titre=titre,
            slug=f"bench-{key}",
            resume=resume,
            corps=corps_,
            type=type_,
            lien="https://example.org/",
            **common(key, day),
        )
        obj.villes.set([villes[n] for n in noms])
        obj.themes.set([themes[s] for s in slugs])
        urls[obj.get_absolute_url()] = key
        made["ressources"].append(obj)
    for key, titre, nom, contexte, difficulte, leviers, resultat, partenaires, dt, lt, slugs, day in corpus.RETOURS:
        obj = RetourExperience.objects.create(
            titre=titre,
            slug=f"bench-{key}",
            ville=villes[nom],
            contexte=contexte,
            difficulte=difficulte,
            leviers=leviers,
            resultat=resultat,
            partenaires=partenaires,
            type_difficulte=dt,
            type_levier=lt,
            **common(key, day),
        )
        obj.themes.set([themes[s] for s in slugs])
        urls[obj.get_absolute_url()] = key
        made["retours"].append(obj)
    for key, titre, corps_, reponses, noms, slugs, day in corpus.QUESTIONS:
        obj = Question.objects.create(titre=titre, slug=f"bench-{key}", corps=corps_, **common(key, day))
        obj.villes.set([villes[n] for n in noms])
        obj.themes.set([themes[s] for s in slugs])
        Message.objects.bulk_create([Message(question=obj, auteur=lead, corps=text) for text in reponses])
        urls[obj.get_absolute_url()] = key
        made["questions"].append(obj)
    for key, titre, resume, points, type_, nom, slugs, day in corpus.RENCONTRES:
        start = _when(day)
        obj = Rencontre.objects.create(
            titre=titre,
            resume=resume,
            type=type_,
            debut=start,
            fin=start + timedelta(hours=3),
            ville=villes.get(nom),
            statut=Rencontre.Statut.TENUE,
            visibilite="reseau",
            cree_par=staff,
            publiee_le=start - timedelta(days=30),
        )
        obj.themes.set([themes[s] for s in slugs])
        PointOrdreDuJour.objects.bulk_create(
            [PointOrdreDuJour(rencontre=obj, ordre=i, titre=text) for i, text in enumerate(points)]
        )
        urls[obj.get_absolute_url()] = key
        made["rencontres"].append(obj)
    source = Source.objects.create(nom="Presse du banc d'essai")
    for key, titre, resume, flux, noms, slugs, day in corpus.ARTICLES:
        obj = ArticlePresse.objects.create(
            titre=titre,
            empreinte=f"bench {key}",
            publie_le=_when(day),
            statut=ArticlePresse.Statut.RETENU,
            resume=resume,
            visibilite="partenaires",
        )
        obj.villes.set([villes[n] for n in noms])
        obj.themes.set([themes[s] for s in slugs])
        Parution.objects.create(
            article=obj,
            source=source,
            url=f"https://presse.example/{key}",
            url_canonique=f"presse.example/{key}",
            titre=titre,
            publie_le=obj.publie_le,
            resume_flux=flux,
        )
        urls[obj.get_absolute_url()] = key
        made["articles"].append(obj)
    indexing.index_corpus(made)
    return urls, lead


def rankers(lead, urls: dict[str, str]) -> dict[str, Ranker]:
    """The two pages, as a member sees them, turned into lists of document keys."""
    from . import indexing

    def as_keys(found: Iterable[str]) -> list[str]:
        return [urls[url] for url in found if url in urls]

    return {
        "global": lambda text: as_keys(indexing.global_urls(user=lead, text=text)),
        "bibliotheque": lambda text: as_keys(indexing.library_urls(user=lead, text=text)),
    }


PAGE_KEEPS: dict[str, Callable[[str], bool]] = {
    "global": lambda key: True,
    "bibliotheque": lambda key: key.startswith("r"),
}


def run(*, limit: int | None = None) -> dict:
    """Load the corpus in the current database, evaluate both pages and the baseline on each
    part of the queries. The caller rolls the load back."""
    urls, lead = load_corpus()
    pages = rankers(lead, urls)
    texts = corpus_texts()
    baselines = {
        "global": BM25(texts).rank,
        "bibliotheque": BM25({k: v for k, v in texts.items() if k.startswith("r")}).rank,
    }
    report: dict = {}
    for part, queries in parts().items():
        queries = queries[:limit] if limit else queries
        for page, ranker in pages.items():
            keep = PAGE_KEEPS[page]
            scores = {
                "moteur": evaluate(ranker, queries, keep=keep).as_dict(),
                "bm25": evaluate(baselines[page], queries, keep=keep).as_dict(),
            }
            if part != TUNING:  # a held-out part is reported as aggregates only, never query by query
                for pair in scores.values():
                    pair["misses"] = []
            report[f"{part}/{page}"] = scores
    return report
