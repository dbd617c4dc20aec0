"""Demo library: resources, experience sheets and questions in French (refused in production).

Written through the services, so that statuses, versions, search vectors and the moderation
record are what real use would produce. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from reseau_acv.core.models import Theme
from villes.models import Programme, Ville

from . import services
from .models import Question, Ressource, RetourExperience

PDF_DEMO = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (title, kind, themes, towns, programme, source, date, visibility, author, summary, body, file name)
RESSOURCES = [
    (
        "Cahier des charges de l'étude pré-opérationnelle d'OPAH-RU",
        Ressource.Type.CAHIER_DES_CHARGES,
        ["habitat", "financement"],
        ["blois"],
        "acv",
        "Ville de Blois",
        date(2020, 2, 14),
        "reseau",
        "chef.blois@reseau-acv.test",
        "Le cahier des charges qui a permis à Blois de lancer l'étude pré-opérationnelle de son OPAH-RU "
        "sur les quartiers anciens du centre : périmètre, volet copropriétés dégradées, volet commerces.",
        "## Points clés\n\n- périmètre resserré sur l'ORT ;\n- un volet **copropriétés fragiles** ;\n"
        "- un volet **lutte contre l'habitat indigne** avec le service d'hygiène ;\n"
        "- une mission de préfiguration de la **réhabilitation** des immeubles vacants au-dessus des commerces.",
        "cctp-etude-opah-ru.pdf",
    ),
    (
        "Fiche méthode : monter une OPAH-RU en centre ancien",
        Ressource.Type.FICHE_METHODE,
        ["habitat", "pilotage"],
        [],
        "acv",
        "Villes au Carré",
        date(2020, 6, 30),
        "partenaires",
        "equipe@reseau-acv.test",
        "Les étapes, les délais et les partenaires d'une opération programmée d'amélioration de l'habitat – "
        "renouvellement urbain, d'après les échanges des chefs de projet du réseau.",
        "1. Diagnostic et étude pré-opérationnelle (12 à 18 mois).\n2. Convention avec l'Anah et les "
        "financeurs.\n3. Suivi-animation : permanence, repérage des propriétaires, aides aux travaux.\n\n"
        "Les chefs de projet recommandent d'associer très tôt le service urbanisme et les bailleurs.",
        "fiche-methode-opah-ru.pdf",
    ),
    (
        "Plan de relance : les mesures mobilisables par les villes ACV",
        Ressource.Type.GUIDE,
        ["financement", "pilotage"],
        [],
        "acv",
        "Préfecture de la région Centre-Val de Loire",
        date(2020, 10, 15),
        "public",
        "equipe@reseau-acv.test",
        "Synthèse des mesures du plan de relance ouvertes aux villes Action Cœur de Ville : "
        "fonds friches, rénovation énergétique des bâtiments publics, commerce de proximité.",
        "Le plan de relance renforce le programme : **fonds friches**, dotation de soutien à "
        "l'investissement local (DSIL) rénovation, foncières commerciales avec la Banque des Territoires.",
        "plan-de-relance-acv.pdf",
    ),
    (
        "Délibération : exonération de loyer pour les commerces fermés pendant le confinement",
        Ressource.Type.DELIBERATION,
        ["commerce"],
        ["vierzon"],
        "acv",
        "Ville de Vierzon",
        date(2020, 11, 20),
        "reseau",
        "chef.vierzon@reseau-acv.test",
        "La délibération du conseil municipal qui exonère de loyer les commerçants locataires de la ville "
        "pendant le deuxième confinement.",
        "",
        "deliberation-exoneration-loyers.pdf",
    ),
    (
        "Étude de vacance commerciale du centre-ville de Chartres",
        Ressource.Type.ETUDE,
        ["commerce"],
        ["chartres"],
        "acv",
        "CCI Centre-Val de Loire",
        date(2019, 9, 1),
        "partenaires",
        "chef.chartres@reseau-acv.test",
        "Relevé des cellules vacantes, typologie des commerces et recommandations pour le linéaire "
        "commercial de l'hyper-centre.",
        "",
        "etude-vacance-chartres.pdf",
    ),
    (
        "Outil : tableau de suivi des cellules commerciales vacantes",
        Ressource.Type.OUTIL,
        ["commerce", "numerique"],
        ["bourges"],
        "acv",
        "Ville de Bourges",
        date(2021, 1, 12),
        "reseau",
        "chef.bourges@reseau-acv.test",
        "Le tableur que Bourges utilise pour suivre les locaux vacants, leurs propriétaires et les porteurs de projet.",
        "",
        "",
    ),
    (
        "Réaménagement des espaces publics du cœur de ville : guide de concertation",
        Ressource.Type.GUIDE,
        ["espace-public", "mobilite"],
        [],
        "acv",
        "CAUE",
        date(2020, 9, 10),
        "public",
        "equipe@reseau-acv.test",
        "Comment associer habitants et commerçants au réaménagement d'une place ou d'une rue piétonne.",
        "Ateliers sur site, urbanisme transitoire, marches exploratoires : retours des villes du réseau.",
        "",
    ),
    (
        "Compte rendu de la rencontre régionale de janvier 2021",
        Ressource.Type.COMPTE_RENDU,
        ["pilotage"],
        [],
        "acv",
        "Villes au Carré",
        date(2021, 1, 28),
        "partenaires",
        "equipe@reseau-acv.test",
        "La deuxième rencontre régionale du réseau : bilan de l'année, plan de relance, ouverture aux "
        "Petites villes de demain.",
        "",
        "compte-rendu-pleniere-2021.pdf",
    ),
    (
        "Petites villes de demain : le cahier des charges type du poste de chef de projet",
        Ressource.Type.CAHIER_DES_CHARGES,
        ["pilotage"],
        ["avord", "baugy"],
        "pvd",
        "ANCT",
        date(2021, 2, 5),
        "reseau",
        "chef.pvd@reseau-acv.test",
        "Une fiche de poste commentée pour recruter le chef de projet PVD d'une intercommunalité.",
        "",
        "",
    ),
    (
        "Veille : l'observatoire des centres-villes",
        Ressource.Type.VEILLE,
        ["commerce", "habitat"],
        [],
        "",
        "Banque des Territoires",
        date(2021, 3, 1),
        "public",
        "equipe@reseau-acv.test",
        "Un lien de veille vers les données et analyses de l'observatoire.",
        "",
        "",
    ),
]

RETOURS = [
    {
        "titre": "Mobiliser les propriétaires bailleurs dans l'OPAH-RU",
        "ville": "blois",
        "themes": ["habitat"],
        "contexte": "Blois a lancé son OPAH-RU en 2020 sur les quartiers anciens du centre.",
        "difficulte": "Beaucoup de propriétaires bailleurs n'habitent pas la ville et ne répondent pas aux "
        "courriers ; les immeubles au-dessus des commerces restent vacants.",
        "type_difficulte": RetourExperience.Difficulte.PROPRIETAIRES,
        "leviers": "Un repérage immeuble par immeuble avec l'opérateur, des visites groupées, une prime "
        "de sortie de vacance financée par la ville et l'Anah.",
        "type_levier": RetourExperience.Levier.AIDE_FINANCIERE,
        "resultat": "Trente-deux logements engagés en réhabilitation la première année, dont douze vacants.",
        "partenaires": "Anah, Action Logement, opérateur de suivi-animation",
        "contacts": "Julien Moreau, chef de projet ACV de Blois",
        "auteur": "chef.blois@reseau-acv.test",
    },
    {
        "titre": "Soutenir les commerces pendant le confinement avec une plateforme de retrait",
        "ville": "vierzon",
        "themes": ["commerce", "numerique"],
        "contexte": "Au premier confinement, les commerces non essentiels du centre ont fermé.",
        "difficulte": "Les commerçants n'avaient pas de vente en ligne et perdaient leur clientèle.",
        "type_difficulte": RetourExperience.Difficulte.CRISE_SANITAIRE,
        "leviers": "Une plateforme locale de click-and-collect, montée en trois semaines avec l'association "
        "des commerçants et la CCI, et l'exonération des droits de terrasse.",
        "type_levier": RetourExperience.Levier.NUMERIQUE,
        "resultat": "Quatre-vingts commerces inscrits ; la plateforme continue après le confinement.",
        "partenaires": "CCI, association des commerçants",
        "contacts": "Chef de projet ACV de Vierzon",
        "auteur": "chef.vierzon@reseau-acv.test",
    },
    {
        "titre": "Occuper les cellules vacantes avec des boutiques à l'essai",
        "ville": "chartres",
        "themes": ["commerce", "espace-public"],
        "contexte": "Le linéaire commercial de la rue principale comptait 14 % de vacance.",
        "difficulte": "Les loyers demandés décourageaient les jeunes commerçants.",
        "type_difficulte": RetourExperience.Difficulte.VACANCE_COMMERCIALE,
        "leviers": "Une boutique à l'essai : loyer minoré six mois, accompagnement par la CCI, "
        "vitrophanie des cellules encore vacantes.",
        "type_levier": RetourExperience.Levier.PARTENARIAT,
        "resultat": "Cinq commerces ouverts, quatre toujours en activité après un an.",
        "partenaires": "CCI, propriétaires, Initiative Eure-et-Loir",
        "contacts": "Chef de projet ACV de Chartres",
        "auteur": "chef.chartres@reseau-acv.test",
    },
    {
        "titre": "Financer le réaménagement de la place avec le plan de relance",
        "ville": "bourges",
        "themes": ["espace-public", "financement"],
        "contexte": "Le projet de réaménagement de la place centrale manquait de financements.",
        "difficulte": "Le bouclage financier du projet d'espace public restait incomplet.",
        "type_difficulte": RetourExperience.Difficulte.FINANCEMENT,
        "leviers": "La DSIL du plan de relance et un urbanisme transitoire pour tester les usages avant travaux.",
        "type_levier": RetourExperience.Levier.URBANISME_TRANSITOIRE,
        "resultat": "Travaux lancés en 2021 ; la place est devenue piétonne les week-ends.",
        "partenaires": "Préfecture, Région, Banque des Territoires",
        "contacts": "Chef de projet ACV de Bourges",
        "auteur": "chef.bourges@reseau-acv.test",
    },
]

QUESTIONS = [
    (
        "Quel opérateur pour le suivi-animation d'une OPAH-RU ?",
        "Nous lançons la consultation : quels opérateurs avez-vous retenus et avec quel budget ?",
        ["habitat"],
        ["blois"],
        "chef.blois@reseau-acv.test",
        [
            ("chef.chartres@reseau-acv.test", "Nous avons retenu un opérateur régional ; comptez 60 à 80 k€ par an."),
            ("equipe@reseau-acv.test", "La fiche méthode OPAH-RU de la bibliothèque donne des repères de coûts."),
        ],
    ),
    (
        "Plan de relance : qui a obtenu le fonds friches pour un îlot de centre-ville ?",
        "Nous voudrions mobiliser le fonds friches pour un ancien garage en cœur de ville.",
        ["financement"],
        ["vierzon"],
        "chef.vierzon@reseau-acv.test",
        [("chef.bourges@reseau-acv.test", "Bourges l'a obtenu en 2021 : le dossier foncier doit être prêt.")],
    ),
    (
        "Comment aider les commerçants pendant le confinement ?",
        "Quelles actions avez-vous menées pour les commerces fermés ?",
        ["commerce"],
        [],
        "chef.pvd@reseau-acv.test",
        [],
    ),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_DEMO, content_type="application/pdf")


def seed_ressources(users: dict) -> None:
    """Create the demo library once; a second run finds it and does nothing."""
    if Ressource.objects.filter(titre=RESSOURCES[0][0]).exists():
        return  # seeded already (other apps' demo materials do not count)
    staff = users["equipe@reseau-acv.test"]
    themes = {t.slug: t for t in Theme.objects.all()}
    villes = {
        v.slug: v for v in Ville.objects.filter(slug__in=["blois", "bourges", "chartres", "vierzon", "avord", "baugy"])
    }
    programmes = {p.code: p for p in Programme.objects.all()}
    created = []
    for titre, kind, theme_slugs, ville_slugs, prog, source, day, level, email, resume, corps, fichier in RESSOURCES:
        ressource = services.ressource_create(
            actor=users[email],
            data={
                "titre": titre,
                "type": kind,
                "programme": programmes.get(prog),
                "source": source,
                "date_document": day,
                "visibilite": level,
                "resume": resume,
                "corps": corps,
                "lien": "" if fichier else "https://www.banquedesterritoires.fr/",
            },
            themes=[themes[s] for s in theme_slugs if s in themes],
            villes=[villes[s] for s in ville_slugs if s in villes],
            fichier=_pdf(fichier) if fichier else None,
        )
        created.append(ressource)
    # Staff publish the leads' proposals, but one stays in the queue and one is sent back.
    waiting, sent_back = created[5], created[8]
    for ressource in created:
        if ressource.statut == "propose" and ressource not in (waiting, sent_back):
            services.contenu_publish(actor=staff, obj=ressource)
    services.contenu_send_back(
        actor=staff, obj=sent_back, motif="Merci de retirer les informations nominatives de la fiche de poste."
    )
    services.ressource_update(actor=staff, ressource=created[0], data={}, fichier=_pdf("cctp-etude-opah-ru-v2.pdf"))
    for spec in RETOURS:
        spec = dict(spec)
        author = users[spec.pop("auteur")]
        theme_slugs = spec.pop("themes")
        ville = Ville.objects.filter(slug=spec.pop("ville")).first()
        if ville is None:
            continue
        retour = services.retour_create(
            actor=author,
            data={**spec, "ville": ville, "visibilite": "reseau"},
            themes=[themes[s] for s in theme_slugs if s in themes],
            ressources=[created[0]] if ville.slug == "blois" else [],
        )
        services.contenu_publish(actor=staff, obj=retour)
    for titre, corps, theme_slugs, ville_slugs, email, answers in QUESTIONS:
        question = services.question_create(
            actor=users[email],
            data={"titre": titre, "corps": corps, "visibilite": "reseau"},
            themes=[themes[s] for s in theme_slugs if s in themes],
            villes=[villes[s] for s in ville_slugs if s in villes],
        )
        messages = [services.message_create(actor=users[a], fil=question, corps=text) for a, text in answers]
        if messages:
            services.question_accept_answer(actor=users[email], question=question, message=messages[0])
    first = Question.objects.order_by("pk").first()
    if first is not None:
        services.question_set_pinned(actor=staff, question=first, epinglee=True)


def backdate_publications() -> int:
    """Demo history: documents dated in the past were published then, not on the day the demo
    ran (the meetings' materials included, hence a separate step after their seeding)."""
    from datetime import datetime, time

    from django.utils import timezone

    changed = []
    for ressource in Ressource.objects.filter(date_document__isnull=False, publie_le__isnull=False):
        when = timezone.make_aware(datetime.combine(ressource.date_document, time(10)))
        if when < ressource.publie_le:
            ressource.publie_le = when
            changed.append(ressource)
    Ressource.objects.bulk_update(changed, ["publie_le"])
    return len(changed)
