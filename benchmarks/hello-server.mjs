// A minimal keep-alive HTTP/1.1 server on node:net (fixed `200 Hello, world!`), run in its own
// process so the generator has a core to itself. Prints its URL on stdout.
import net from 'node:net';

const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!');
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let tail = '';
  socket.on('data', (chunk) => {
    const text = tail + chunk.toString('latin1');
    let count = 0;
    let from = 0;
    for (let at = text.indexOf('\r\n\r\n'); at !== -1; at = text.indexOf('\r\n\r\n', from)) {
      count++;
      from = at + 4;
    }
    tail = text.slice(from);
    if (count === 1) socket.write(RESPONSE);
    else if (count > 1) socket.write(Buffer.concat(Array(count).fill(RESPONSE)));
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}/`));
process.on('SIGTERM', () => process.exit(0));
