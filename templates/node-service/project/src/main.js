/**
 * Starts {{ project_name }}: reads its settings from the environment, applies pending migrations,
 * then serves HTTP until SIGINT or SIGTERM.
 */

import { createServer } from "node:http";

import { createApp } from "./app.js";
import { createPool } from "./db.js";
import { migrate } from "./migrations.js";

/** The port served when `PORT` is unset. */
const DEFAULT_PORT = {{ port }};

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  fail("`DATABASE_URL` is not set; `idp run -- npm start` sets it");
}
const port = process.env.PORT ? Number(process.env.PORT) : DEFAULT_PORT;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  fail(`\`PORT\` is not a port number: \`${process.env.PORT}\``);
}

const pool = createPool(databaseUrl);
try {
  for (const version of await migrate(pool)) {
    console.log(`applied migration ${version}`);
  }
} catch (error) {
  fail(error.message);
}

const server = createServer(createApp({ pool }));
server.listen(port, () => console.log(`listening on port ${port}`));

// SIGTERM is what `docker stop` and Kubernetes send: finish the requests in flight, then exit.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => server.close(() => pool.end()));
}
