import argparse
import json
import os
from datetime import datetime, timezone
from pathlib import Path

STORE = Path(os.environ.get("JOT_FILE", Path.home() / ".jot.json"))


def load():
    return json.loads(STORE.read_text()) if STORE.exists() else []


def add(text):
    notes = load()
    notes.append({"text": text, "at": datetime.now(timezone.utc).isoformat()})
    STORE.write_text(json.dumps(notes, indent=2))
    print(f"saved note {len(notes)}")


def show(limit):
    for i, note in enumerate(load()[-limit:], 1):
        print(f"{i:3} {note['at'][:16]}  {note['text']}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="jot", description="Keep short notes.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("add", help="add a note").add_argument("text", nargs="+")
    sub.add_parser("list", help="show recent notes").add_argument("-n", type=int, default=10)
    args = parser.parse_args(argv)
    if args.command == "add":
        add(" ".join(args.text))
    else:
        show(args.n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
