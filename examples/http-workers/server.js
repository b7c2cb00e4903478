// One HTTP worker of examples/http-workers: it serves on the listening socket
// circusd passes it (`--fd N`, the number of $(circus.sockets.web)) and never
// binds a port itself, so all workers share circusd's socket and the kernel
// spreads the connections between them. Each request is logged on stdout,
// which circusd writes to a rotating file (see circus.ini).
'use strict';
const http = require('http');

const at = process.argv.indexOf('--fd');
const fd = at >= 0 ? Number(process.argv[at + 1]) : NaN;
if (!Number.isInteger(fd) || fd < 0) {
  console.error('usage: server.js --fd <inherited socket fd>');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const body = JSON.stringify({ pid: process.pid, url: req.url });
  res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
  res.end(`${body}\n`);
  console.log(`${new Date().toISOString()} worker ${process.pid} ${req.method} ${req.url}`);
});
server.listen({ fd }, () => console.log(`worker ${process.pid} serving on fd ${fd}`));

// circusd stops workers with SIGTERM: finish the requests in flight, then leave.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
