// An SMTP server for Kedja's tests (npm smtp-server), on 127.0.0.1: every message it accepts is appended to a file as one
// JSON line {from, to, raw}. How it answers is read from a mode file at each message, so a test can change it midway:
//   accept      take every message (the default, also when the file is missing)
//   refuse-451  answer the end of DATA with 451 (a temporary failure: the sender should try again later)
//   refuse-550  answer RCPT TO with 550 (a permanent refusal)
//   hang        read the message but never answer the end of DATA (a server or network that dies mid-send)
// Usage: node smtp-sink.mjs --out messages.jsonl --mode-file mode.txt [--port 0]
// Prints "listening <port>" once it listens.
import { SMTPServer } from 'smtp-server';
import { appendFileSync, readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const out = args.out;
const modeFile = args['mode-file'];
if (!out) {
  console.error('--out is required');
  process.exit(2);
}

const mode = () => {
  try {
    return readFileSync(modeFile, 'utf8').trim() || 'accept';
  } catch {
    return 'accept';
  }
};

const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, session, callback) {
    if (mode() === 'refuse-550') {
      const error = new Error('Mailbox unavailable');
      error.responseCode = 550;
      return callback(error);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', chunk => chunks.push(chunk));
    stream.on('end', () => {
      const now = mode();
      if (now === 'hang') {
        return; // never answered: the sender sees no acceptance
      }
      if (now === 'refuse-451') {
        const error = new Error('Try again later');
        error.responseCode = 451;
        return callback(error);
      }
      appendFileSync(out, JSON.stringify({
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map(r => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      }) + '\n');
      callback(null, 'queued');
    });
  },
});

server.on('error', error => console.error(error.message));
server.listen(Number(args.port ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
