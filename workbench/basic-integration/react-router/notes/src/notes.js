const KEY = "notes";

export function loadNotes() {
  return JSON.parse(localStorage.getItem(KEY) ?? "[]");
}

export function saveNote(text) {
  const note = { id: crypto.randomUUID(), text, createdAt: new Date().toISOString() };
  localStorage.setItem(KEY, JSON.stringify([note, ...loadNotes()]));
  return note;
}
