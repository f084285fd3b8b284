from itertools import count

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
_ids = count(1)
todos = {}


@app.get("/todos")
def list_todos():
    return jsonify(list(todos.values()))


@app.post("/todos")
def create_todo():
    title = (request.get_json(silent=True) or {}).get("title", "").strip()
    if not title:
        abort(400, description="title is required")
    todo = {"id": next(_ids), "title": title, "done": False}
    todos[todo["id"]] = todo
    return jsonify(todo), 201


@app.post("/todos/<int:todo_id>/done")
def complete_todo(todo_id):
    todo = todos.get(todo_id) or abort(404)
    todo["done"] = True
    return jsonify(todo)


if __name__ == "__main__":
    app.run(debug=True)
