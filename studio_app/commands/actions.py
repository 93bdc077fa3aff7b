"""``studio-console actions``: the action registry, the names studio scripts, runbooks
and control surfaces (Stream Deck, Companion, OSC, HTTP) use."""
from __future__ import annotations

import argparse

from studio_app.commands.common import EXIT_OK, print_json


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "actions",
        help="list every action of the dispatcher (names for runbooks and remote control)",
        description="Every operation of the desk as a named action with its arguments, what a drill "
                    "does with it and whether it needs confirm=true.",
    )
    p.add_argument("--json", action="store_true",
                   help="print [{name, args: [{name, type, required, description}], description, drill, confirm}]")
    p.set_defaults(func=run_actions)


def run_actions(args: argparse.Namespace, db_url: str) -> int:
    from studio_app.studio.actions import action_list

    actions = action_list()
    if args.json:
        print_json(actions)
        return EXIT_OK
    width = max(len(a["name"]) for a in actions)
    for a in actions:
        flags = []
        if a["confirm"]:
            flags.append("confirm=true")
        if a["drill"] != "run":
            flags.append(f"drill: {a['drill']}")
        params = " ".join(f"{x['name']}:{x['type']}" if x["required"] else f"[{x['name']}:{x['type']}]"
                          for x in a["args"])
        tail = f"  ({', '.join(flags)})" if flags else ""
        print(f"{a['name']:<{width}}  {a['description']} / {a['description_zh']}{tail}")
        if params:
            print(f"{'':<{width}}    {params}")
    return EXIT_OK
