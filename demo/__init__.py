"""Demo data for `make run`, assembled at the top of the layers: this app may import every
other app, and no app imports it. Never for production (the commands refuse with DEBUG off)."""
