"""Entry script of the frozen app (PyInstaller needs a script, not a console_scripts entry point).

``studio-console -m MODULE [ARGS]`` runs a module of the app like ``python -m`` does: in a
frozen app ``sys.executable`` is this program, and parts of the app start helpers that way
(``hardware.audio.devices`` lists input devices from a child process so a rescan never
disturbs a live stream). Only the app's own packages can be run.
"""
import sys

RUNNABLE_PACKAGES = ("hardware.", "studio_app.")


def run_module(argv: list[str]) -> int:
    import runpy

    if len(argv) < 3 or not argv[2].startswith(RUNNABLE_PACKAGES):
        print("studio-console: -m needs a module of the app (hardware.* or studio_app.*)", file=sys.stderr)
        return 2
    sys.argv = [argv[2], *argv[3:]]
    runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "-m":
        raise SystemExit(run_module(sys.argv))
    from studio_app.cli import main

    raise SystemExit(main())
