"""The site itself: pages that gather every app (home, search, topics), health checks, error pages,
and the site-wide commands (backup, restore, demo content)."""
