"""``python -m hyperarr`` runs the command-line interface."""

from hyperarr.cli import main

raise SystemExit(main())
