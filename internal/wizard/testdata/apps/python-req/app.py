"""A tiny Flask app."""
from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.post("/todos")
def create():
    return "", 201


if __name__ == "__main__":
    app.run()
