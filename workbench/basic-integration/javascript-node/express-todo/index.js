const express = require("express");

const app = express();
app.use(express.json());

let nextId = 1;
const todos = new Map();

app.get("/todos", (req, res) => {
  res.json([...todos.values()]);
});

app.post("/todos", (req, res) => {
  const title = String(req.body.title || "").trim();
  if (!title) {
    return res.status(400).json({ error: "title is required" });
  }
  const todo = { id: nextId++, title, done: false };
  todos.set(todo.id, todo);
  res.status(201).json(todo);
});

app.patch("/todos/:id", (req, res) => {
  const todo = todos.get(Number(req.params.id));
  if (!todo) {
    return res.status(404).json({ error: "not found" });
  }
  todo.done = Boolean(req.body.done);
  res.json(todo);
});

app.delete("/todos/:id", (req, res) => {
  const deleted = todos.delete(Number(req.params.id));
  res.status(deleted ? 204 : 404).end();
});

const port = Number(process.env.PORT) || 3000;
app.listen(port, () => {
  console.log(`express-todo listening on http://localhost:${port}`);
});
