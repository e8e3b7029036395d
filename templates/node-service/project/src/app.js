/**
 * The HTTP API. `createApp` returns a `node:http` request listener, so tests serve it on a free
 * port without the rest of `main.js`.
 *
 * - `GET /health`: answers while the process serves requests, without querying the database, so a
 *   slow database does not make the orchestrator restart healthy replicas.
 * - `GET /items`, `POST /items`, `GET /items/{id}`: a resource backed by the `items` table, the
 *   pattern to copy for your own.
 */

/** The longest name accepted, in characters (the table checks it too). */
const MAX_NAME_LENGTH = 200;
/** The largest request body read, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;
/** The largest `bigint`, the type of `items.id`. */
const MAX_ID = 2n ** 63n - 1n;

/** A failure whose message is meant for the client. */
class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Returns the request listener of the service.
 *
 * @param {object} [options]
 * @param {import("pg").Pool} [options.pool] the database, which only `/items` needs
 */
export function createApp({ pool } = {}) {
  const routes = [
    ["GET", /^\/health$/, () => ({ status: 200, body: { status: "ok" } })],
    ["GET", /^\/items$/, () => listItems(pool)],
    ["POST", /^\/items$/, (request) => createItem(pool, request)],
    ["GET", /^\/items\/(\d+)$/, (_request, id) => readItem(pool, id)],
  ];

  return async function handle(request, response) {
    let reply;
    try {
      const [pathname] = request.url.split("?", 1);
      const matching = routes.filter(([, path]) => path.test(pathname));
      const route = matching.find(([method]) => method === request.method);
      if (route) {
        const [, path, handler] = route;
        reply = await handler(request, ...path.exec(pathname).slice(1));
      } else if (matching.length > 0) {
        const allow = matching.map(([method]) => method).join(", ");
        reply = { status: 405, body: { error: "method not allowed" }, headers: { allow } };
      } else {
        reply = { status: 404, body: { error: "not found" } };
      }
    } catch (error) {
      if (error instanceof HttpError) {
        reply = { status: error.status, body: { error: error.message } };
      } else {
        // The client learns nothing about the failure; the log gets the detail.
        console.error("error:", error);
        reply = { status: 500, body: { error: "internal error" } };
      }
    }
    const body = JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      ...reply.headers,
    });
    response.end(body);
  };
}

/** Lists the 100 newest items, newest first. */
async function listItems(pool) {
  const { rows } = await pool.query("SELECT id, name FROM items ORDER BY id DESC LIMIT 100");
  return { status: 200, body: rows.map(toItem) };
}

async function createItem(pool, request) {
  const body = await readJson(request);
  const name = typeof body?.name === "string" ? body.name.trim() : "";
  // Counted in characters (code points), as PostgreSQL counts them.
  const length = [...name].length;
  if (length < 1 || length > MAX_NAME_LENGTH) {
    throw new HttpError(422, `\`name\` must be 1 to ${MAX_NAME_LENGTH} characters`);
  }
  const { rows } = await pool.query(
    "INSERT INTO items (name) VALUES ($1) RETURNING id, name",
    [name],
  );
  const item = toItem(rows[0]);
  return { status: 201, body: item, headers: { location: `/items/${item.id}` } };
}

async function readItem(pool, id) {
  if (BigInt(id) > MAX_ID) {
    throw new HttpError(404, "not found");
  }
  const { rows } = await pool.query("SELECT id, name FROM items WHERE id = $1", [id]);
  if (rows.length === 0) {
    throw new HttpError(404, "not found");
  }
  return { status: 200, body: toItem(rows[0]) };
}

/** Returns an item as the API shows it: pg returns `bigint` columns as strings. */
function toItem(row) {
  return { id: Number(row.id), name: row.name };
}

async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
}
