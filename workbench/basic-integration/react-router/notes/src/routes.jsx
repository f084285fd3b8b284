import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { loadNotes, saveNote } from "./notes.js";

export function NoteList() {
  const notes = loadNotes();
  return (
    <main>
      <h1>Notes</h1>
      <Link to="/new">New note</Link>
      <ul>
        {notes.map((n) => (
          <li key={n.id}>
            <Link to={`/notes/${n.id}`}>{n.text.slice(0, 40)}</Link>
          </li>
        ))}
      </ul>
    </main>
  );
}

export function NewNote() {
  const [text, setText] = useState("");
  const navigate = useNavigate();
  function submit(event) {
    event.preventDefault();
    const note = saveNote(text);
    navigate(`/notes/${note.id}`);
  }
  return (
    <form onSubmit={submit}>
      <textarea value={text} onChange={(e) => setText(e.target.value)} required />
      <button type="submit">Save</button>
    </form>
  );
}

export function NoteDetail() {
  const { id } = useParams();
  const note = loadNotes().find((n) => n.id === id);
  if (!note) return <p>Note not found. <Link to="/">Back</Link></p>;
  return (
    <article>
      <p>{note.text}</p>
      <small>{note.createdAt}</small> <Link to="/">Back</Link>
    </article>
  );
}
