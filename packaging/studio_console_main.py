"""Entry script of the frozen app (PyInstaller needs a script, not a console_scripts entry point)."""
from studio_app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
