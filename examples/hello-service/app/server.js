// A tiny HTTP service: GET / greets with its version, GET /health answers 200 when healthy.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { greeting, healthy } from './greeting.js';

const version = readFileSync(new URL('./VERSION', import.meta.url), 'utf8').trim();
const host = process.env.SLIPWAY_INSTANCE_NAME ?? hostname();
const port = Number(process.env.PORT ?? 8080);

createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(healthy(version) ? 200 : 500).end(healthy(version) ? 'ok\n' : 'unhealthy\n');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain' }).end(greeting(version, host));
}).listen(port, '127.0.0.1');
