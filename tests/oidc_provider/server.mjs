// The OpenID provider the test suite signs in through: node-oidc-provider on an ephemeral
// loopback port, started and stopped by tests/accounts/oidc_provider.py.
//
// Environment: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ACCOUNTS (JSON: {login: claims}).
// Prints one JSON line, {"issuer": "http://127.0.0.1:PORT"}, once it listens.
//
// The sign-in page is ours (not the library's development pages): a login name, a password
// that must be "pw-for-tests", and a box "I used my second factor", which adds "mfa" to the
// session's amr claim, so tests can sign in with and without a provider-checked second factor.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const PASSWORD = 'pw-for-tests';
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    // "native": loopback redirect URIs match on any port (RFC 8252), so the live server's
    // ephemeral port and the test client's "localhost" both work.
    application_type: 'native',
    redirect_uris: ['http://localhost/accounts/sso/callback/', 'http://127.0.0.1/accounts/sso/callback/'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: {
    // How and when the person signed in travel with every ID token (amr carries "mfa"), as
    // Entra ID's do; standalone claims would appear only when a request asked for them.
    acr: null,
    sid: null,
    openid: ['sub', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'groups'],
  },
  // Like Entra ID: the profile claims (groups included) travel in the ID token too.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(uid, error = '') {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">Login</label> <input id="login" name="login" autocomplete="off">
<label for="password">Password</label> <input id="password" name="password" type="password">
<input id="mfa" name="mfa" type="checkbox" value="1"> <label for="mfa">I used my second factor</label>
<button type="submit">Continue</button></form></main></body></html>`;
}

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function interactions(provider) {
  return async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = page(details.uid);
      return undefined;
    }
    const form = await formBody(ctx.req);
    const login = form.get('login') || '';
    if (!accounts[login] || form.get('password') !== PASSWORD) {
      ctx.type = 'html';
      ctx.body = page(details.uid, 'Unknown login or wrong password.');
      return undefined;
    }
    // Sign-in and consent in one step: the state's provider never asks staff to consent.
    const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const amr = form.get('mfa') ? ['pwd', 'mfa'] : ['pwd'];
    const result = { login: { accountId: login, amr }, consent: { grantId: await grant.save() } };
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
      mergeWithLastSubmission: false,
    });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return undefined;
  };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  provider.use(interactions(provider));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
