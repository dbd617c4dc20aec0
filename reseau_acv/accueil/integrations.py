"""What ``accueil`` reads from the domain apps: digest sections, staff queues,
dashboard panels and charts (the search groups are listed in ``accueil.search``). Each domain app has its own module in ``accueil/sources/``;
nobody imports ``accueil``."""

from .sources import panorama, rencontres, ressources  # noqa: F401 (imported for their registrations)
