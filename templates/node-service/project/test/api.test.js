/**
 * The HTTP API, served on a free loopback port.
 *
 * The database tests run when `DATABASE_URL` is set (`idp run -- npm test` sets it) and are
 * skipped, saying why, otherwise. They add rows with unique names, so they can share a database
 * with each other and with you.
 */

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { createApp } from "../src/app.js";
import { createPool } from "../src/db.js";
import { migrate } from "../src/migrations.js";

const databaseUrl = process.env.DATABASE_URL;
const withoutDatabase = databaseUrl ? false : "DATABASE_URL is not set (`idp run -- npm test` sets it)";

/** Serves `app` on a free loopback port; returns its base URL and a function that stops it. */
async function serve(app) {
  const server = createServer(app).listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

test("GET /health answers ok", async () => {
  const server = await serve(createApp());
  try {
    const response = await fetch(`${server.url}/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  } finally {
    await server.close();
  }
});

test("unknown paths and methods are refused", async () => {
  const server = await serve(createApp());
  try {
    assert.equal((await fetch(`${server.url}/nowhere`)).status, 404);
    const wrongMethod = await fetch(`${server.url}/health`, { method: "DELETE" });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET");
  } finally {
    await server.close();
  }
});

describe("items", { skip: withoutDatabase }, () => {
  let pool;
  let server;

  before(async () => {
    pool = createPool(databaseUrl);
    await migrate(pool);
    server = await serve(createApp({ pool }));
  });

  after(async () => {
    await server?.close();
    await pool?.end();
  });

  test("are created, listed and read", async () => {
    const name = `test-${randomUUID()}`;

    const created = await post(`${server.url}/items`, { name });
    assert.equal(created.status, 201);
    const item = await created.json();
    assert.equal(item.name, name);
    assert.equal(created.headers.get("location"), `/items/${item.id}`);

    const read = await fetch(`${server.url}/items/${item.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), item);

    const listed = await fetch(`${server.url}/items`);
    assert.equal(listed.status, 200);
    assert.ok((await listed.json()).some((other) => other.id === item.id && other.name === name));

    await pool.query("DELETE FROM items WHERE id = $1", [item.id]);
  });

  test("bad requests are refused", async () => {
    const blank = await post(`${server.url}/items`, { name: "  " });
    assert.equal(blank.status, 422);
    assert.deepEqual(await blank.json(), { error: "`name` must be 1 to 200 characters" });

    const notJson = await fetch(`${server.url}/items`, { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);

    assert.equal((await fetch(`${server.url}/items/${2n ** 63n - 1n}`)).status, 404);
    assert.equal((await fetch(`${server.url}/items/${2n ** 64n}`)).status, 404);
  });
});

function post(url, body) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
