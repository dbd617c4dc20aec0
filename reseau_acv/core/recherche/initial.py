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


# The broad thesaurus (migration 0009 adds it to existing databases): written from the trade —
# Action Cœur de Ville, Petites villes de demain, town-centre revitalisation — so that the
# everyday words a member types meet the trade's vocabulary across the whole field. Each group is
# one need said in several ways; words so common they would flood the results (« ville »,
# « centre », « projet ») are never an expression alone.
# New expressions of starting groups, each group found by its first expression:
AJOUTS_LARGES = {
    "vacance commerciale": [
        "rideaux baissés",
        "rideaux fermés",
        "vitrines fermées",
        "magasins fermés",
        "magasins vides",
        "local commercial vide",
        "local vacant",
        "fermetures de commerces",
        "taux de vacance commerciale",
    ],
    "habitat indigne": [
        "immeubles insalubres",
        "arrêté de péril",
        "immeuble menaçant ruine",
        "LHI",
        "mise en sécurité des immeubles",
    ],
    "logements vacants": [
        "logements vides",
        "vacance résidentielle",
        "maisons vides",
        "immeubles vacants",
        "remise sur le marché des logements vacants",
        "reconquête des logements vacants",
    ],
    "boutique à l'essai": ["boutique test", "commerce éphémère", "magasin éphémère", "pop-up store"],
    "manager de commerce": [
        "manager du commerce",
        "manager de ville",
        "chargé de mission commerce",
    ],
    "foncière commerce": [
        "rachat des murs",
        "acquisition des murs",
        "propriété des murs",
        "maîtrise des locaux commerciaux",
        "foncière de redynamisation",
    ],
    "stationnement": [
        "places de stationnement",
        "se garer",
        "stationnement payant",
        "zone bleue",
        "parking relais",
        "parkings relais",
    ],
    "fonds friches": [
        "recyclage foncier",
        "reconversion de friche",
        "reconversion des friches",
        "requalification de friche",
        "réhabilitation de friche",
    ],
    "maison France Services": [
        "MSAP",
        "services publics",
        "services publics de proximité",
        "accès aux services publics",
        "démarches administratives",
    ],
    "EPCI": ["communauté de communes", "communauté d'agglomération", "interco"],
    "AAP": ["appel à candidatures"],
    "ZAN": [
        "sobriété foncière",
        "artificialisation des sols",
        "artificialisation",
        "étalement urbain",
        "consommation foncière",
        "consommation d'espaces",
    ],
    "PMR": [
        "mise en accessibilité",
        "personnes en situation de handicap",
        "personnes handicapées",
        "accessibilité handicap",
    ],
    "friche": [
        "friches",
        "bâtiment abandonné",
        "bâtiments abandonnés",
        "site abandonné",
        "terrain vague",
        "friche industrielle",
        "friches industrielles",
        "ancienne usine",
        "délaissé urbain",
    ],
    "végétalisation": [
        "îlots de chaleur",
        "îlot de chaleur urbain",
        "canicule",
        "vagues de chaleur",
        "rafraîchissement urbain",
        "ombrage",
        "plantation d'arbres",
        "arbres en ville",
        "espaces verts",
    ],
    "concertation": [
        "associer les habitants",
        "implication des habitants",
        "co-construction",
        "réunion publique",
        "ateliers participatifs",
        "budget participatif",
        "conseil citoyen",
        "conseils de quartier",
    ],
    "tiers-lieu": ["fablab", "lieu hybride"],
    "maison de santé": [
        "médecins",
        "médecin généraliste",
        "désert médical",
        "déserts médicaux",
        "offre de soins",
        "accès aux soins",
        "professionnels de santé",
        "installation de médecins",
        "démographie médicale",
    ],
    "commerce non sédentaire": ["marché hebdomadaire", "marché de plein vent", "jour de marché"],
    "rénovation énergétique": [
        "passoires thermiques",
        "passoire énergétique",
        "logements énergivores",
        "précarité énergétique",
        "isolation thermique",
        "performance énergétique",
        "rénovation globale",
        "audit énergétique",
    ],
    "piétonnisation": [
        "piétons",
        "cheminements piétons",
        "marche à pied",
        "marchabilité",
        "plateau piétonnier",
        "aire piétonne",
    ],
    "bail commercial": ["loyer commercial", "loyers commerciaux", "bail dérogatoire", "bail précaire"],
    "personnes âgées": [
        "vieillissement de la population",
        "résidence autonomie",
        "résidence seniors",
        "habitat senior",
        "maintien à domicile",
        "habitat inclusif",
        "adaptation au vieillissement",
    ],
    "Anah": ["aides de l'Anah", "MaPrimeRénov", "Habiter Mieux", "MaPrimeAdapt"],
}
# New groups: acronyms and their expansions first, then the trade's words, by field.
NOUVEAUX_LARGES = [
    # Acronyms
    "POPAC ; programme opérationnel de prévention et d'accompagnement des copropriétés",
    "ORI ; opération de restauration immobilière ; restauration immobilière",
    "THIRORI ; traitement de l'habitat insalubre remédiable ou dangereux et des opérations de restauration immobilière",
    "VIR ; vente d'immeuble à rénover",
    "DIIF ; dispositif d'intervention immobilière et foncière",
    "BRS ; bail réel solidaire",
    "OFS ; organisme de foncier solidaire",
    "FJT ; foyer de jeunes travailleurs ; résidence jeunes actifs",
    "EHPAD ; établissement d'hébergement pour personnes âgées dépendantes ; maison de retraite",
    "TLV ; taxe sur les logements vacants ; THLV ; taxe d'habitation sur les logements vacants",
    "TFC ; taxe sur les friches commerciales",
    "PEM ; pôle d'échanges multimodal ; pôle gare ; quartier de gare",
    "AOM ; autorité organisatrice de la mobilité",
    "PDU ; plan de déplacements urbains ; plan de mobilité ; plan de mobilité simplifié ; schéma de mobilité",
    "TAD ; transport à la demande",
    "PAVE ; plan de mise en accessibilité de la voirie et des espaces publics",
    "PDA ; périmètre délimité des abords ; abords des monuments historiques",
    "VPAH ; Villes et Pays d'art et d'histoire ; Ville d'art et d'histoire ; Pays d'art et d'histoire",
    "CIAP ; centre d'interprétation de l'architecture et du patrimoine",
    "CPTS ; communauté professionnelle territoriale de santé",
    "CLS ; contrat local de santé",
    "CCAS ; centre communal d'action sociale",
    "CLSPD ; conseil local de sécurité et de prévention de la délinquance",
    "LEADER ; programme LEADER ; GAL ; groupe d'action locale",
    "CPER ; contrat de plan État-Région",
    "PIA ; programme d'investissements d'avenir ; France 2030",
    "VTA ; volontariat territorial en administration ; volontaire territorial en administration",
    "ZRR ; zone de revitalisation rurale ; FRR ; France Ruralités Revitalisation",
    "ZRCV ; zone de revitalisation des centres-villes ; ZoRCoMiR ; zone de revitalisation des commerces en milieu rural",
    "CEE ; certificats d'économies d'énergie",
    "PCAET ; plan climat-air-énergie territorial ; plan climat",
    "OAP ; orientation d'aménagement et de programmation",
    "PADD ; projet d'aménagement et de développement durables",
    "RLP ; règlement local de publicité ; RLPi ; règlement local de publicité intercommunal",
    "SRADDET ; schéma régional d'aménagement, de développement durable et d'égalité des territoires",
    "DUP ; déclaration d'utilité publique",
    "PPRI ; plan de prévention du risque inondation ; risque inondation ; zone inondable",
    "ADS ; autorisations d'urbanisme ; autorisation d'urbanisme ; instruction du droit des sols ; permis de construire",
    "DCE ; dossier de consultation des entreprises ; commande publique ; marchés publics ; appel d'offres",
    "MOE ; maîtrise d'œuvre ; maître d'œuvre",
    "COPIL ; comité de pilotage ; comité de projet ; COTECH ; comité technique ; gouvernance du projet",
    "Fonds vert ; fonds d'accélération de la transition écologique dans les territoires",
    "EnR ; énergies renouvelables ; énergie renouvelable ; production d'énergie locale",
    # Commerce
    "circuits courts ; circuit court ; vente directe ; producteurs locaux ; produits locaux ; consommer local ; "
    "achat local ; magasin de producteurs",
    "commerce en ligne ; e-commerce ; vente en ligne ; click and collect ; marketplace ; place de marché numérique ; "
    "vitrine numérique ; numérisation des commerces ; digitalisation des commerces ; transition numérique des commerçants",
    "commerce de proximité ; commerces de proximité ; petits commerces ; commerce indépendant ; "
    "commerçants indépendants ; commerces du quotidien",
    "implantation commerciale ; installation de commerçants ; nouveaux commerçants ; prospection commerciale",
    "zone commerciale ; zones commerciales ; périphérie commerciale ; grandes surfaces ; centres commerciaux ; "
    "hypermarchés ; commerce de périphérie",
    "droit de préemption commercial ; préemption des fonds de commerce ; préemption des baux commerciaux ; "
    "périmètre de sauvegarde du commerce",
    "linéaire commercial ; linéaires commerciaux ; protection des linéaires commerciaux ; "
    "interdiction de changement de destination",
    "pas-de-porte ; droit au bail ; fonds de commerce ; cession de fonds de commerce ; transmission de commerce ; "
    "reprise de commerce ; repreneurs",
    "union commerciale ; association de commerçants ; associations de commerçants ; groupement de commerçants ; "
    "office du commerce",
    "chèques cadeaux ; chèque cadeau ; carte cadeau ; monnaie locale ; bons d'achat",
    "horaires d'ouverture ; ouverture le dimanche ; ouvertures dominicales ; amplitude horaire",
    "terrasses ; droit de terrasse ; occupation du domaine public ; étalages",
    "devantures ; devantures commerciales ; rénovation des devantures ; charte des devantures ; vitrines commerciales",
    "fréquentation du centre-ville ; flux piétons ; comptage piétons ; compteurs de flux ; fréquentation des commerces",
    # Housing
    "habitat dégradé ; logements dégradés ; immeubles dégradés ; bâti dégradé ; immeubles vétustes",
    "copropriétés dégradées ; copropriété dégradée ; copropriétés en difficulté ; copropriétés fragiles ; "
    "redressement des copropriétés",
    "permis de louer ; autorisation préalable de mise en location ; déclaration de mise en location ; "
    "autorisation de louer",
    "logement étudiant ; logements étudiants ; logement des jeunes ; jeunes actifs ; logement des apprentis ; "
    "alternants ; colocation",
    "étages vacants ; étages vides ; logements au-dessus des commerces ; accès aux étages ; "
    "accès indépendant aux étages",
    "accession à la propriété ; accession sociale ; primo-accédants",
    "Denormandie ; dispositif Denormandie ; investissement locatif ; défiscalisation dans l'ancien",
    "propriétaires bailleurs ; bailleurs privés ; propriétaires privés",
    "recyclage d'îlots ; requalification d'îlots ; îlots dégradés ; curetage d'îlot ; aération des îlots",
    "habitat participatif ; habitat partagé ; coopérative d'habitants",
    "parcours résidentiel ; pénurie de logements ; crise du logement",
    "biens sans maître ; bien sans maître ; abandon manifeste ; état d'abandon manifeste ; biens vacants et sans maître",
    # Mobility
    "voiture ; voitures ; automobile ; automobiles ; circulation automobile ; trafic automobile ; trafic routier ; "
    "flux automobiles",
    "zone de rencontre ; zone 30 ; zones 30 ; zone apaisée ; zones apaisées ; apaisement de la circulation ; "
    "modération de la vitesse ; rue apaisée ; partage de la voirie",
    "stationnement vélo ; arceaux vélo ; abris vélos ; garages à vélos ; parkings vélos",
    "transports en commun ; transport collectif ; transports collectifs ; transports publics ; navette ; "
    "navette de centre-ville ; lignes de bus",
    "covoiturage ; autopartage ; voiture partagée ; mobilité partagée",
    "logistique urbaine ; livraisons ; livraison du dernier kilomètre ; aires de livraison",
    "vélotourisme ; véloroute ; voie verte ; voies vertes ; itinéraire cyclable touristique",
    "sécurité routière ; accidentologie ; accidents de la route",
    # Public space and nature
    "désimperméabilisation ; désimperméabiliser ; déminéralisation ; débitumisation ; débitumer ; "
    "sols perméables ; revêtements perméables",
    "eaux pluviales ; gestion des eaux pluviales ; eau de pluie ; récupération des eaux de pluie ; ruissellement ; noues",
    "cours oasis ; cour oasis ; cours d'école végétalisées ; cour d'école",
    "biodiversité ; trame verte et bleue ; corridors écologiques ; faune et flore",
    "espaces publics ; espace public ; requalification des espaces publics ; aménagement des espaces publics",
    "places publiques ; réaménagement de la place ; requalification de la place ; aménagement de la place ; "
    "place centrale",
    "mobilier urbain ; bancs publics",
    "signalétique ; jalonnement ; signalisation piétonne",
    "éclairage public ; mise en lumière ; extinction nocturne ; sobriété lumineuse ; pollution lumineuse",
    "propreté urbaine ; propreté ; dépôts sauvages ; collecte des déchets ; déchets ; nettoiement",
    "berges ; bords de rivière ; bords de l'eau ; reconquête des berges ; quais ; front d'eau ; cours d'eau",
    "fontaines ; jeux d'eau ; brumisateurs ; points d'eau",
    "entrée de ville ; entrées de ville ; requalification des entrées de ville",
    "plan guide ; plan-guide ; schéma directeur ; plan de référence ; stratégie urbaine ; masterplan",
    "occupation temporaire ; urbanisme transitoire ; usage temporaire ; occupation éphémère ; préfiguration",
    # Brownfields and land
    "dépollution ; sites et sols pollués ; pollution des sols ; sols pollués ; désamiantage",
    "démolition ; démolitions ; déconstruction ; démolition-reconstruction",
    "maîtrise foncière ; acquisition foncière ; acquisitions foncières ; réserves foncières ; stratégie foncière ; "
    "veille foncière",
    "densification ; densifier ; densification douce ; division parcellaire",
    "changement d'usage ; changement de destination ; transformation en logements ; "
    "transformation de bureaux en logements ; reconversion de bâtiments",
    # Health, services, education, youth
    "télémédecine ; téléconsultation ; cabine de téléconsultation",
    "inclusion numérique ; fracture numérique ; illectronisme ; conseiller numérique ; conseillers numériques ; "
    "médiation numérique",
    "épicerie solidaire ; épicerie sociale ; aide alimentaire",
    "petite enfance ; crèche ; crèches ; micro-crèche ; garde d'enfants ; assistantes maternelles",
    "écoles ; groupe scolaire ; établissements scolaires ; fermeture de classes ; fermeture d'école",
    "jeunesse ; jeunes ; adolescents ; politique jeunesse ; conseil municipal des jeunes ; maison des jeunes",
    "étudiants ; vie étudiante ; campus connecté ; antenne universitaire ; enseignement supérieur",
    # Heritage
    "ravalement de façades ; ravalement ; rénovation des façades ; opération façades ; campagne de ravalement ; "
    "aide aux façades ; embellissement des façades",
    "monuments historiques ; monument historique ; patrimoine bâti ; patrimoine architectural ; bâti ancien ; "
    "patrimoine remarquable ; édifices protégés",
    "Petites cités de caractère ; Plus beaux villages de France ; label patrimonial",
    "Fondation du patrimoine ; mission patrimoine ; loto du patrimoine ; mission Bern",
    "églises ; édifices cultuels ; patrimoine religieux",
    # Culture and tourism
    "tourisme ; touristes ; attractivité touristique ; office de tourisme ; offre touristique ; "
    "fréquentation touristique",
    "hébergement touristique ; hôtels ; hôtellerie ; meublés de tourisme ; location saisonnière ; "
    "locations de courte durée ; gîtes",
    "équipements culturels ; lieu culturel ; lieux culturels ; programmation culturelle ; offre culturelle ; "
    "vie culturelle ; action culturelle",
    "médiathèque ; médiathèques ; lecture publique",
    "cinéma ; salle de cinéma ; cinémas",
    "art urbain ; street art ; fresques murales ; fresque murale ; parcours artistique",
    # Events and animation
    "animation commerciale ; animations commerciales ; animation du centre-ville ; animations de centre-ville ; "
    "opérations commerciales ; braderie ; braderies",
    "événements ; événementiel ; festivités ; festival ; festivals ; animations estivales ; programmation estivale",
    "marché de Noël ; illuminations de Noël ; animations de Noël ; fêtes de fin d'année",
    # Funding
    "subventions ; subvention ; cofinancement ; cofinancements ; aides financières ; aide financière ; "
    "soutien financier ; plan de financement ; sources de financement",
    "mécénat ; mécènes ; financement participatif ; crowdfunding",
    "montage financier ; montage d'opération ; bilan d'opération ; déficit d'opération",
    "exonérations fiscales ; exonération fiscale ; allègements fiscaux ; avantages fiscaux ; fiscalité incitative",
    "emprunt ; emprunts ; prêts aux collectivités ; prêt au secteur public local",
    # Governance and participation
    "chef de projet ; chefs de projet ; directeur de projet ; poste de chef de projet",
    "ingénierie ; ingénierie territoriale ; renfort d'ingénierie ; appui en ingénierie ; assistance technique",
    "convention-cadre ; convention cadre ; avenant à la convention ; convention d'ORT ; convention ORT",
    "services de l'État ; préfecture ; préfet ; sous-préfecture ; sous-préfet ; délégué territorial",
    "évaluation ; indicateurs de suivi ; tableau de bord ; suivi-évaluation ; indicateurs d'impact",
    "étude pré-opérationnelle ; étude préalable ; études préalables ; étude de faisabilité ; étude de programmation",
    # Attractiveness, communication, population
    "marketing territorial ; marque territoriale ; marque de territoire ; image de la ville ; promotion du territoire",
    "plan de communication ; stratégie de communication ; campagne de communication ; réseaux sociaux ; "
    "supports de communication",
    "nouveaux habitants ; accueil des nouveaux arrivants ; "
    "accueil de nouvelles populations ; attractivité résidentielle",
    "déclin démographique ; dépeuplement ; décroissance démographique",
    "télétravail ; télétravailleurs",
    "développement économique ; économie locale ; tissu économique ; entreprises locales",
    # Safety
    "tranquillité publique ; insécurité ; sentiment d'insécurité ; délinquance ; incivilités ; "
    "prévention de la délinquance",
    "vidéoprotection ; vidéosurveillance ; caméras de surveillance",
    # Energy and climate
    "photovoltaïque ; panneaux solaires ; panneaux photovoltaïques ; ombrières photovoltaïques ; énergie solaire",
    "réseau de chaleur ; réseaux de chaleur ; chaufferie bois ; chaudière biomasse ; chaleur renouvelable ; géothermie",
    "sobriété énergétique ; économies d'énergie ; maîtrise de l'énergie ; facture énergétique",
    "rénovation des bâtiments publics ; bâtiments publics ; bâtiments communaux ; décret tertiaire ; "
    "éco-énergie tertiaire",
    "bilan carbone ; empreinte carbone ; émissions de gaz à effet de serre ; décarbonation ; neutralité carbone",
]


def _expressions(line: str) -> list[str]:
    return [p.strip() for p in line.split(";") if p.strip()]


def starting_groups() -> list[list[str]]:
    """Every group a new database starts with: the first ones with their additions, then the new ones."""
    groups = [_expressions(line) for line in THESAURUS]
    for group in groups:
        group += AJOUTS_LARGES.get(group[0], [])
    return groups + [_expressions(line) for line in NOUVEAUX_LARGES]


def thesaurus_seed(model) -> int:
    """Create the starting entries when there are none (the data migration, and tests after a flush)."""
    if model.objects.exists():
        return 0
    rows = [model(expressions="\n".join(group)) for group in starting_groups()]
    model.objects.bulk_create(rows)
    return len(rows)
