import { createServer } from "node:http";
import { randomBytes } from "node:crypto";

const links = new Map();

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

const server = createServer(async (req, res) => {
  if (req.method === "POST" && req.url === "/links") {
    const url = (await readBody(req)).trim();
    if (!URL.canParse(url)) {
      res.writeHead(400).end("send a URL in the body\n");
      return;
    }
    const code = randomBytes(3).toString("hex");
    links.set(code, url);
    res.writeHead(201, { "content-type": "text/plain" }).end(`/${code}\n`);
    return;
  }
  const target = links.get(req.url.slice(1));
  if (req.method === "GET" && target) {
    res.writeHead(302, { location: target }).end();
    return;
  }
  res.writeHead(404).end("not found\n");
});

server.listen(Number(process.env.PORT) || 8080, () => {
  console.log("http-server listening on", server.address().port);
});
