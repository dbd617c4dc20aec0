"""The last resort of a query that finds (almost) nothing: a natural question typed as a person
asks it (« comment redonner vie à nos rez-de-chaussée commerciaux ? ») whose exact words are in no
document, or not all in the same one.

The query is relaxed, never guessed: each of its informative words (the parser already dropped the
words of questions, « comment », « faire », « peut-on », « nos »…) stays a concept of its own, and
widens (a thesaurus group typed whole: each of its words, to its stem's beginning only) to

- the indexed words that begin with its stem (at least ``MIN_STEM`` letters: « commerc » finds
  « commerçants », « commerciale »);
- its closest indexed words, when the index does not know it (the neighbours typo tolerance
  computes, by trigram similarity);
- every thesaurus group one of whose expressions holds that word (or a neighbour) — not only the
  groups whose whole expression was typed — unless the word is in more than ``MAX_GROUPS`` groups
  (« ville » is in many: it says little), and then only those of its groups that hold another
  word of the query too (« boutiques … vides »: the group of « boutiques vides »);

and a document holding *any* of these concepts is a candidate (``Requete.elargie``), ranked as
usual: those holding the most (and rarest) concepts first. A word that widens to nothing adds
nothing, so gibberish still finds nothing."""

from __future__ import annotations

from . import correction
from .requete import Concept, Forme, Requete, _forme
from .texte import stem

MIN_STEM = 5
MAX_GROUPS = 2  # a word reaches the thesaurus groups it is in when it is in at most this many
MAX_FORMES = 24  # per concept: a word in many thesaurus groups stays a bounded query


def _stems(group: list[str]) -> set[str]:
    return {r for f in (_forme(expr) for expr in group) if f for r in f.racines}


def widen(requete: Requete, *, thesaurus, using: str, un_seul: bool = True, tenus: int = 0) -> Requete:
    """The relaxed form of ``requete`` (same words to exclude). ``un_seul``: a document holding
    any one of the widened concepts is a candidate; otherwise, as for the query itself, only those
    holding most of them. ``tenus``: the concepts (as bits) some document already holds — their
    words are no typos and are not widened to their trigram neighbours."""
    wide = Requete(texte=requete.texte, exclus=list(requete.exclus), elargie=True, un_seul=un_seul)
    words = [f.mots[0] for c in requete.concepts for f in c.formes if not c.du_thesaurus and len(f.mots) == 1]
    unknown = set(correction.unknown_words(" ".join(words), using=using)) if words else set()
    typed = {stem(w) for w in words}
    for position, concept in enumerate(requete.concepts):
        formes = list(concept.formes)
        for forme in concept.formes:
            if len(forme.mots) > 1 or forme.prefixe:
                continue
            word = forme.mots[0]
            reached = [word]
            if not concept.du_thesaurus and word in unknown and not tenus >> position & 1:
                # a word some document holds (« garder » in « ils gardent ») is no typo
                reached += correction.neighbours(word, using=using)
            for other in reached:
                root = stem(other)
                if other != word:
                    formes.append(Forme(texte=other, mots=(other,)))
                if len(root) >= MIN_STEM and not root.isdigit():
                    formes.append(Forme(texte=root, mots=(root,), prefixe=True, racine=True))
                groups = thesaurus.groups_with(root) if thesaurus is not None and not concept.du_thesaurus else []
                if len(groups) > MAX_GROUPS:  # a word of many groups (« ville ») says little alone…
                    # …but tells which of them is meant when another word of the query is in it too
                    groups = [g for g in groups if (_stems(g) & typed) - {root}]
                for group in groups:
                    formes += [f for f in (_forme(expr) for expr in group) if f]
        unique = list(dict.fromkeys(formes))[:MAX_FORMES]
        wide.concepts.append(Concept(saisi=concept.saisi, formes=tuple(unique), du_thesaurus=concept.du_thesaurus))
    return wide
