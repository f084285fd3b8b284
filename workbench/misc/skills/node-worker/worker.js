import { readFile, writeFile } from "node:fs/promises";

const QUEUE = process.env.QUEUE_FILE || new URL("./jobs.json", import.meta.url);
const INTERVAL_MS = Number(process.env.INTERVAL_MS) || 5000;

const handlers = {
  "resize-image": async ({ file, width }) => `resized ${file} to ${width}px`,
  "send-email": async ({ to, template }) => `sent ${template} email to ${to}`,
};

async function drain() {
  const jobs = JSON.parse(await readFile(QUEUE, "utf8"));
  const failed = [];
  for (const job of jobs) {
    const handler = handlers[job.type];
    try {
      if (!handler) throw new Error(`no handler for ${job.type}`);
      console.log(`${job.id}: ${await handler(job.payload)}`);
    } catch (err) {
      console.error(`${job.id}: ${err.message}`);
      failed.push(job);
    }
  }
  await writeFile(QUEUE, JSON.stringify(failed, null, 2) + "\n");
}

const once = process.argv.includes("--once");
await drain();
if (!once) {
  setInterval(() => drain().catch((err) => console.error(err)), INTERVAL_MS);
}
