"""The thesaurus the network starts with (a data migration loads it; staff edit it after)."""

THESAURUS = [
    # Programmes and instruments
    "ACV ; Action Cœur de Ville ; Cœur de ville",
    "PVD ; Petites villes de demain",
    "ORT ; opération de revitalisation de territoire",
    "OPAH-RU ; opération programmée d'amélioration de l'habitat renouvellement urbain ; OPAH",
    "CRTE ; contrat de relance et de transition écologique",
    "QPV ; quartier prioritaire de la politique de la ville ; quartier prioritaire",
    "RHI ; résorption de l'habitat insalubre ; résorption de l'habitat indigne",
    "PSMV ; plan de sauvegarde et de mise en valeur ; secteur sauvegardé ; SPR ; site patrimonial remarquable",
    "LOVAC ; fichier des logements vacants",
    # Funding
    "FISAC ; fonds d'intervention pour les services, l'artisanat et le commerce",
    "FEDER ; fonds européen de développement régional ; fonds européens",
    "DSIL ; dotation de soutien à l'investissement local",
    "DETR ; dotation d'équipement des territoires ruraux",
    "plan de relance ; France Relance",
    # Funders, partners and State services
    "ANCT ; Agence nationale de la cohésion des territoires",
    "BdT ; Banque des Territoires",
    "CDC ; Caisse des dépôts ; Caisse des dépôts et consignations",
    "Anah ; Agence nationale de l'habitat",
    "EPF ; établissement public foncier ; EPFL ; établissement public foncier local",
    "DREAL ; direction régionale de l'environnement, de l'aménagement et du logement",
    "DDT ; direction départementale des territoires ; DDTM ; direction départementale des territoires et de la mer",
    "ABF ; architecte des Bâtiments de France ; UDAP ; unité départementale de l'architecture et du patrimoine",
    "CAUE ; conseil d'architecture, d'urbanisme et de l'environnement",
    "CCI ; chambre de commerce et d'industrie",
    "CMA ; chambre de métiers et de l'artisanat",
    "ARS ; agence régionale de santé",
    # Planning tools
    "PLU ; plan local d'urbanisme",
    "PLUi ; plan local d'urbanisme intercommunal",
    "SCoT ; schéma de cohérence territoriale",
    # Words of the trade
    "mobilité douce ; mobilités actives ; pistes cyclables ; aménagements cyclables ; vélo ; cyclistes ; modes doux ; "
    "modes actifs ; voies cyclables",
    "vacance commerciale ; locaux vides ; locaux vacants ; commerces vacants ; boutiques vides ; boutiques fermées ; "
    "rez-de-chaussée commerciaux fermés ; cellules commerciales vides ; commerces fermés ; cellules vides ; "
    "locaux commerciaux vacants ; vitrines vides",
    "habitat indigne ; logements indignes ; logement insalubre ; insalubrité ; marchands de sommeil ; habitat insalubre",
    "logements vacants ; logements inoccupés ; vacance des logements ; logement vide",
    "boutique à l'essai ; boutique éphémère ; commerce à l'essai",
    "manager de commerce ; manager de centre-ville",
    "foncière commerce ; foncière commerciale ; murs commerciaux ; acheter les murs",
    "crise sanitaire ; covid ; confinement ; pandémie",
    "magasin ; boutique ; commerce",
    "stationnement ; parking ; parc de stationnement ; aire de stationnement",
    "fonds friches ; recyclage des friches",
    "maison France Services ; France Services ; maison de services au public",
    # Added later (migration 0008 adds them to existing databases)
    "EPCI ; établissement public de coopération intercommunale ; intercommunalité",
    "SEM ; société d'économie mixte ; SEML ; société d'économie mixte locale",
    "SPL ; société publique locale",
    "PPA ; projet partenarial d'aménagement",
    "AMI ; appel à manifestation d'intérêt",
    "AAP ; appel à projets",
    "PLH ; programme local de l'habitat",
    "PIG ; programme d'intérêt général",
    "VEFA ; vente en l'état futur d'achèvement",
    "DPU ; droit de préemption urbain",
    "AVAP ; aire de mise en valeur de l'architecture et du patrimoine",
    "ZAC ; zone d'aménagement concerté",
    "ZAN ; zéro artificialisation nette",
    "CDAC ; commission départementale d'aménagement commercial",
    "ERP ; établissement recevant du public",
    "PMR ; personnes à mobilité réduite",
    "ANRU ; Agence nationale pour la rénovation urbaine",
    "NPNRU ; nouveau programme national de renouvellement urbain",
    "DRAC ; direction régionale des affaires culturelles",
    "AMO ; assistance à maîtrise d'ouvrage ; AMOA",
    "Cerema ; centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement",
    "DPE ; diagnostic de performance énergétique",
    "HLM ; habitation à loyer modéré ; logement social ; logements sociaux ; logement locatif social",
    "friche ; site délaissé ; terrain délaissé ; friche urbaine",
    "îlot ancien ; quartier ancien ; centre ancien ; tissu urbain ancien",
    "rez-de-chaussée commercial ; pied d'immeuble ; pieds d'immeubles",
    "végétalisation ; verdissement ; nature en ville ; îlot de fraîcheur",
    "concertation ; participation citoyenne ; démarche participative ; consultation des habitants",
    "tiers-lieu ; tiers-lieux ; espace de coworking ; coworking",
    "maison de santé ; maison de santé pluriprofessionnelle ; MSP ; centre de santé",
    "marché couvert ; halles ; halle marchande",
    "portage foncier ; portage immobilier",
    "rénovation énergétique ; rénovation thermique",
    "piétonnisation ; rue piétonne ; zone piétonne ; secteur piéton",
    "attractivité commerciale ; dynamisme commercial ; redynamisation commerciale ; revitalisation commerciale",
    "bailleur social ; bailleurs sociaux ; organisme HLM",
    "bail commercial ; baux commerciaux",
    "commerce non sédentaire ; commerce ambulant ; commerçants ambulants ; marchés forains",
    "personnes âgées ; seniors ; aînés",
]


def thesaurus_seed(model) -> int:
    """Create the starting entries when there are none (the data migration, and tests after a flush)."""
    if model.objects.exists():
        return 0
    rows = [model(expressions="\n".join(p.strip() for p in line.split(";"))) for line in THESAURUS]
    model.objects.bulk_create(rows)
    return len(rows)
