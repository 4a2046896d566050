"""Building blocks every app imports: images, Markdown, cached fragments, search columns, mail.

Nothing here imports an app; the apps and otg.site import from here."""
