// A test OpenID Connect provider for Kedja's SSO tests (oidc-provider 9.x), started by the test fixture.
//
//   node oidc-provider.mjs --port 5431 --client kedja-a,secret-a,http://127.0.0.1:5430/inloggning/oidc/a \
//        [--client id,secret,redirectUri[,postLogoutRedirectUri]]... [--account sub,email,group1;group2]...
//        [--host localhost] [--accounts-file accounts.json]
//
// --host names the issuer's host (it always listens on 127.0.0.1): with localhost the provider is another
// site than an app on 127.0.0.1, as a real provider is, so a test sees what SameSite does to the callback.
// Prints one line `oidc-provider ready http://127.0.0.1:<port>` on stdout when it listens.
// Without --account there is one fixed account: sub "anna", anna.andersson@example.se, groups kedja-admins
// and kedja-editors. With --accounts-file the accounts are read from that JSON file (an array of
// {"sub", "email", "groups": [...], "email_verified"?}) at every login and every token, so a test can change a
// person's groups between two sign-ins by rewriting the file. The login page asks only for the account's sub (no password) so a test can sign in as
// anyone it registered; consent is granted automatically, as a tenant's own provider would for its app.
import http from 'node:http';
import fs from 'node:fs';
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const clients = [];
const accounts = new Map();
let port;
let host = '127.0.0.1';
let accountsFile;
for (let i = 0; i < args.length; i += 2) {
  const [name, value] = [args[i], args[i + 1]];
  if (value === undefined) fail(`${name} needs a value`);
  if (name === '--port') port = Number(value);
  else if (name === '--host') host = value;
  else if (name === '--accounts-file') accountsFile = value;
  else if (name === '--client') {
    const [clientId, secret, redirectUri, postLogout] = value.split(',');
    if (!clientId || !secret || !redirectUri) fail('--client is id,secret,redirectUri[,postLogoutRedirectUri]');
    clients.push({
      client_id: clientId,
      client_secret: secret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: postLogout ? [postLogout] : [],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    });
  } else if (name === '--account') {
    const [sub, email, groups] = value.split(',');
    if (!sub || !email) fail('--account is sub,email[,group1;group2]');
    accounts.set(sub, { sub, email, groups: groups ? groups.split(';') : [] });
  } else fail(`unknown option ${name}`);
}
if (!Number.isInteger(port) || port <= 0) fail('--port is required');
if (clients.length === 0) fail('at least one --client is required');
if (accounts.size === 0 && !accountsFile) {
  accounts.set('anna', { sub: 'anna', email: 'anna.andersson@example.se', groups: ['kedja-admins', 'kedja-editors'] });
}

// The accounts as they stand now: the file's, read afresh, or those given on the command line.
function currentAccounts() {
  if (!accountsFile) return accounts;
  const list = JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
  return new Map(list.map((a) => [a.sub, { sub: a.sub, email: a.email, groups: a.groups ?? [], email_verified: a.email_verified ?? true, name: a.name }]));
}

const issuer = `http://${host}:${port}`;
const provider = new Provider(issuer, {
  clients,
  // The tests' own pages below replace the development pages, which load fonts from the internet.
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  // Entra ID and most providers put the requested claims in the id token; oidc-provider would otherwise
  // keep them for the userinfo endpoint in the code flow.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    if (!currentAccounts().has(id)) return undefined;
    return {
      accountId: id,
      async claims() {
        const account = currentAccounts().get(id) ?? { email: '', groups: [] };
        return { sub: id, email: account.email, email_verified: account.email_verified ?? true, name: account.name ?? id, groups: account.groups };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

async function logoutSource(ctx, form) {
  // Signs out without a question, as the tests want; the form posts itself.
  ctx.body = `<!DOCTYPE html><html><head><title>Logga ut</title></head><body>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Logga ut</button>
<script>var f=document.forms['op.logoutForm'];var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>
</body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    const error = new URL(req.url, issuer).searchParams.get('fel');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html lang="sv"><head><title>Testinloggning</title></head><body>
<h1>Testinloggning</h1>${error ? '<p role="alert">Okänt konto.</p>' : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>Konto <input name="login" autofocus value="${escape(details.params.login_hint ?? '')}"></label>
<button type="submit">Logga in</button></form></body></html>`);
    return;
  }
  const login = (await readForm(req)).get('login') ?? '';
  if (!currentAccounts().has(login)) {
    res.writeHead(303, { location: `/interaction/${encodeURIComponent(uid)}?fel=1` });
    res.end();
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([^/?]+)/.exec(req.url);
  if (!match) return callback(req, res);
  interaction(req, res, decodeURIComponent(match[1])).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Fel i testinloggningen: ${err.message}`);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider ready ${issuer}`));

function fail(message) {
  console.error(`oidc-provider.mjs: ${message}`);
  process.exit(2);
}
