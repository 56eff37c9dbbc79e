// A real OpenID Connect provider (the certified `oidc-provider` package) for the SSO tests
// and `make sso-demo`: `node provider.mjs CONFIG.json`. The JSON file names the port, the
// signing key's id, the clients and the accounts (README, "Single sign-on"); a
// `clockOffsetSeconds` runs the provider's clock ahead or behind, as a drifting provider's.
// It prints "listening" once it answers, and stops on SIGTERM.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

if (config.clockOffsetSeconds) {
  const realNow = Date.now;
  Date.now = () => realNow() + config.clockOffsetSeconds * 1000;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: config.keyId, use: 'sig', alg: 'RS256' };

// Accounts by their login (the email typed on the provider's sign-in form).
const accounts = config.accounts;

const provider = new Provider(`http://127.0.0.1:${config.port}`, {
  clients: config.clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [config.cookieKey || 'skills-portal-test-provider'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
  pkce: { required: () => true },
  // Sessions outlast a clock set back by clockOffsetSeconds; ID tokens live 10 minutes.
  ttl: { IdToken: 600, AccessToken: 600, Interaction: 86400, Session: 86400, Grant: 86400 },
  features: { devInteractions: { enabled: true } },
  // The email claims in the ID token itself, as Google's and Entra ID's are.
  conformIdTokenClaims: false,
  // First-party clients: consent is granted without asking.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account.claims };
      },
    };
  },
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log('listening');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
