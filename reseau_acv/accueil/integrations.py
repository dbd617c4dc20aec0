"""What ``accueil`` reads from the domain apps: digest sections, search groups, staff queues,
dashboard panels and charts. Each domain app has its own module here
(``accueil/sources/<app>.py``); nobody imports ``accueil``."""

from .sources import ressources  # noqa: F401 (imported for its registrations)
