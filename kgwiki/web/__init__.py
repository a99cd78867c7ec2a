"""The web layer: one renderer (site, pages, templates), two outputs (live server, static build)."""
