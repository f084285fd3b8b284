import { createServer } from "node:http";
import { quote } from "./pricing.js";

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname !== "/quote") {
    res.writeHead(404).end();
    return;
  }
  try {
    const price = quote({
      weightKg: Number(url.searchParams.get("kg")),
      service: url.searchParams.get("service") ?? "standard",
    });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ price }));
  } catch (err) {
    console.error(err);
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: err.message }));
  }
});

server.listen(Number(process.env.PORT) || 3000, () => {
  console.log("quote service on port", server.address().port);
});
