import { createHash } from 'node:crypto';
import type { Clock, IdentityService, Principal } from '@slipway/core';
import { sigV4GitPasswordPattern, verifyGitPassword } from './git-password.ts';

/** Basic-auth credentials of one git request, with what a SigV4 git password is bound to. */
export interface GitAuthAttempt {
  readonly username: string;
  readonly password: string;
  /** The Host header without its port. */
  readonly hostname: string;
  /** The repository's URL path: `/v1/repos/demo`. */
  readonly path: string;
  /** Regions a SigV4 git password may be scoped to: the URL's region, or the default one. */
  readonly regions: readonly string[];
}

export interface GitAuthenticatorDeps {
  readonly identity: Pick<IdentityService, 'findSigningIdentity'>;
  /** Static per-user git credentials (created elsewhere): who they belong to, or undefined. */
  readonly verifyServiceCredential: (
    username: string,
    password: string,
  ) => Promise<Principal | undefined>;
  readonly clock: Clock;
  /** How long a successful verification is reused (default 5 s); 0 disables the cache. */
  readonly cacheMs?: number;
}

const defaultCacheMs = 5_000;
const maxCacheEntries = 10_000;

/**
 * Who is behind a git request's Basic credentials. Two kinds: the SigV4-derived password of
 * `aws codecommit credential-helper` (user name = access key id), and static git credentials.
 * A clone or push is 2–3 requests with the same credentials, so a success is remembered briefly;
 * failures are not, so a corrected password works at once.
 */
export class GitAuthenticator {
  readonly #deps: GitAuthenticatorDeps;
  readonly #cacheMs: number;
  readonly #cache = new Map<string, { principal: Principal; until: number }>();

  constructor(deps: GitAuthenticatorDeps) {
    this.#deps = deps;
    this.#cacheMs = deps.cacheMs ?? defaultCacheMs;
  }

  async authenticate(attempt: GitAuthAttempt): Promise<Principal | undefined> {
    const now = this.#deps.clock.now();
    const key = cacheKey(attempt);
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.until > now) return cached.principal;
    this.#cache.delete(key);
    const principal = sigV4GitPasswordPattern.test(attempt.password)
      ? await this.#verifySigV4(attempt, now)
      : await this.#deps.verifyServiceCredential(attempt.username, attempt.password);
    if (principal !== undefined && this.#cacheMs > 0) {
      if (this.#cache.size >= maxCacheEntries) this.#cache.clear();
      this.#cache.set(key, { principal, until: now + this.#cacheMs });
    }
    return principal;
  }

  async #verifySigV4(attempt: GitAuthAttempt, now: number): Promise<Principal | undefined> {
    // `<key>%<session token>` is how the helper passes temporary credentials; Slipway issues none.
    if (attempt.username === '' || attempt.username.includes('%')) return undefined;
    const identity = await this.#deps.identity.findSigningIdentity(attempt.username);
    if (identity === undefined) return undefined;
    const verify = (hostname: string) =>
      verifyGitPassword({
        password: attempt.password,
        secretAccessKey: identity.secretAccessKey,
        regions: attempt.regions,
        hostname,
        path: attempt.path,
        now,
      });
    // For `[::1]:port` the AWS CLI signs the host `[` (it splits the netloc at the first colon).
    const verified = verify(attempt.hostname) || (attempt.hostname.startsWith('[') && verify('['));
    return verified ? identity.record.principal : undefined;
  }
}

function cacheKey(attempt: GitAuthAttempt): string {
  return createHash('sha256')
    .update(
      [
        attempt.username,
        attempt.password,
        attempt.hostname,
        attempt.path,
        attempt.regions.join(','),
      ].join('\0'),
    )
    .digest('hex');
}
