"""What ``accueil`` reads from the domain apps: digest sections, search groups, staff queues,
dashboard panels and charts. Each domain app has its own module in ``accueil/sources/``;
nobody imports ``accueil``."""

from .sources import panorama, rencontres, ressources  # noqa: F401 (imported for their registrations)
