"""The theme taxonomy: ACV's five action axes and the transversal themes (DESIGN.md §1)."""

THEMES = [
    (
        "habitat",
        "Réhabilitation de l'habitat en centre-ville",
        "Habitat",
        "axe",
        1,
        "Axe 1 : de la réhabilitation-restructuration de l'habitat en centre-ville (OPAH-RU, vacance, copropriétés).",
    ),
    (
        "commerce",
        "Développement économique et commercial équilibré",
        "Commerce",
        "axe",
        2,
        "Axe 2 : favoriser un développement économique et commercial équilibré (commerce, artisanat, vacance commerciale).",
    ),
    (
        "mobilite",
        "Accessibilité, mobilité et connexions",
        "Mobilité",
        "axe",
        3,
        "Axe 3 : développer l'accessibilité, la mobilité et les connexions.",
    ),
    (
        "espace-public",
        "Formes urbaines, espace public et patrimoine",
        "Espace public",
        "axe",
        4,
        "Axe 4 : mettre en valeur les formes urbaines, l'espace public et le patrimoine.",
    ),
    (
        "equipements",
        "Accès aux équipements et services publics",
        "Équipements",
        "axe",
        5,
        "Axe 5 : fournir l'accès aux équipements et services publics.",
    ),
    (
        "pilotage",
        "Pilotage de projet et ingénierie",
        "Ingénierie",
        "transversal",
        None,
        "Conduite de projet, gouvernance, ingénierie territoriale.",
    ),
    (
        "financement",
        "Financements et plan de relance",
        "Financements",
        "transversal",
        None,
        "Montage financier, appels à projets, plan de relance.",
    ),
    (
        "numerique",
        "Numérique",
        "Numérique",
        "transversal",
        None,
        "Transition numérique des centres-villes et des commerces.",
    ),
    (
        "transition-ecologique",
        "Transition écologique",
        "Transition écologique",
        "transversal",
        None,
        "Sobriété foncière, rénovation énergétique, nature en ville.",
    ),
]


def themes_seed(theme_model) -> None:
    """Create or update the taxonomy (used by the data migration, and by tests after a flush)."""
    for ordre, (slug, nom, court, famille, axe, description) in enumerate(THEMES, start=1):
        theme_model.objects.update_or_create(
            slug=slug,
            defaults={
                "nom": nom,
                "nom_court": court,
                "famille": famille,
                "numero_axe": axe,
                "description": description,
                "ordre": ordre,
            },
        )
