import type { Clock } from '../platform/clock.ts';
import { randomBase32, randomDigits, type Random } from '../platform/random.ts';
import {
  AccessKeyStatus,
  administratorUserName,
  userArn,
  type AccessKeyRecord,
  type AdministratorCredentials,
} from './identity.model.ts';
import type { IdentityStore, SecretBox } from './identity.ports.ts';

export interface IdentityDeps {
  readonly store: IdentityStore;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly random: Random;
  /**
   * How long a looked-up key and its opened secret are reused (default 5 s). A key deactivated
   * on another server is refused within this time; 0 looks up every request.
   */
  readonly identityCacheMs?: number;
}

const defaultIdentityCacheMs = 5_000;
const maxCachedIdentities = 10_000;

/** An active access key with its secret opened, ready to verify a signature with. */
export interface SigningIdentity {
  readonly record: AccessKeyRecord;
  readonly secretAccessKey: string;
}

const secretAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class IdentityService {
  readonly #deps: IdentityDeps;
  readonly #cacheMs: number;
  /** Per access key: every signed request needs it, and a store round trip plus a decrypt. */
  readonly #cache = new Map<string, { identity: SigningIdentity; until: number }>();

  constructor(deps: IdentityDeps) {
    this.#deps = deps;
    this.#cacheMs = deps.identityCacheMs ?? defaultIdentityCacheMs;
  }

  /** Creates the account and its administrator key on first start; returns the existing ones after. */
  async ensureAdministrator(): Promise<AdministratorCredentials> {
    const { store, secrets, clock, random } = this.#deps;
    const now = clock.now();
    const accountId = randomDigits(random, 12);
    const secretAccessKey = generateSecret(random);
    const userId = `AIDA${randomBase32(random, 17)}`;
    const { record, created } = await store.ensureAdministrator({
      account: { id: accountId, createdAt: now },
      user: {
        id: userId,
        accountId,
        name: administratorUserName,
        arn: userArn(accountId, administratorUserName),
        createdAt: now,
      },
      key: {
        accessKeyId: `AKIA${randomBase32(random, 16)}`,
        userId,
        status: AccessKeyStatus.Active,
        sealedSecret: secrets.seal(secretAccessKey),
        createdAt: now,
      },
    });
    return {
      principal: record.principal,
      secretAccessKey: created ? secretAccessKey : secrets.open(record.key.sealedSecret),
      created,
    };
  }

  /** The active key with this id and its secret, or undefined when unknown or inactive. */
  async findSigningIdentity(accessKeyId: string): Promise<SigningIdentity | undefined> {
    const now = this.#deps.clock.now();
    const cached = this.#cache.get(accessKeyId);
    if (cached !== undefined && cached.until > now) return cached.identity;
    this.#cache.delete(accessKeyId);
    const record = await this.#deps.store.findAccessKey(accessKeyId);
    if (record === undefined || record.key.status !== AccessKeyStatus.Active) return undefined;
    const identity = { record, secretAccessKey: this.#deps.secrets.open(record.key.sealedSecret) };
    if (this.#cacheMs > 0) {
      if (this.#cache.size >= maxCachedIdentities) this.#cache.clear();
      this.#cache.set(accessKeyId, { identity, until: now + this.#cacheMs });
    }
    return identity;
  }
}

function generateSecret(random: Random): string {
  let out = '';
  for (const byte of random.bytes(40)) out += secretAlphabet[byte & 63];
  return out;
}
