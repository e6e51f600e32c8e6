import { Injectable } from '@nestjs/common';
import { OAuthClientEntity } from './oauth-client.entity.js';
import { OAuthClientsRepository } from './oauth-clients.repository.js';
import { OAuthGrantsRepository } from './oauth-grants.repository.js';
import { credentialVariants } from './oauth-http.js';
import { matchesRedirectPattern, RedirectUriError, validateRedirectPattern } from './redirect-uri.js';
import { digestsEqual, randomSecret, sha256Hex } from './secrets.js';

/** A registered client as the outside may see it: never the secret, nor its hash. */
export interface OAuthClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  /** The client's own API call limit; null: the configured limits apply. */
  apiCallLimit: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateOAuthClientInput {
  /** Generated when absent. */
  clientId?: string;
  name?: string;
  redirectUris: string[];
  apiCallLimit?: number | null;
  /** Generated when absent (the usual case). */
  clientSecret?: string;
}

export interface UpdateOAuthClientInput {
  name?: string;
  redirectUris?: string[];
  apiCallLimit?: number | null;
}

/** The client and its secret in clear text: only ever returned by create and rotate. */
export interface OAuthClientWithSecret {
  client: OAuthClientView;
  clientSecret: string;
}

export class OAuthClientNotFoundError extends Error {
  constructor(readonly clientId: string) {
    super(`No OAuth client with id "${clientId}"`);
    this.name = 'OAuthClientNotFoundError';
  }
}

export class OAuthClientExistsError extends Error {
  constructor(readonly clientId: string) {
    super(`An OAuth client with id "${clientId}" already exists`);
    this.name = 'OAuthClientExistsError';
  }
}

/** The input names the field at fault, so an admin API can answer 400 with it. */
export class InvalidOAuthClientError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidOAuthClientError';
  }
}

type ChangeListener = (clientId: string) => void;

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,255}$/;

/**
 * The client registry: create, update, list, delete, rotate a secret, and
 * authenticate a client at the token and revocation endpoints. The admin
 * API and CLI use this service; nothing else touches the clients table.
 */
@Injectable()
export class OAuthClientsService {
  private readonly listeners: ChangeListener[] = [];
  /** A hash to compare against when the client does not exist, so timing does not tell. */
  private readonly decoyHash = sha256Hex(randomSecret());

  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly grants: OAuthGrantsRepository,
  ) {}

  /** Called with the client id after every change (the limit cache listens). */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async list(): Promise<OAuthClientView[]> {
    return (await this.clients.list()).map(toView);
  }

  async get(clientId: string): Promise<OAuthClientView | null> {
    const client = await this.clients.findById(clientId);
    return client ? toView(client) : null;
  }

  async create(input: CreateOAuthClientInput): Promise<OAuthClientWithSecret> {
    const clientId = input.clientId ?? `client-${randomSecret(9)}`;
    if (!CLIENT_ID.test(clientId)) {
      throw new InvalidOAuthClientError('clientId', 'use 1 to 255 letters, digits, ".", "_", "~" or "-"');
    }
    const clientSecret = input.clientSecret ?? randomSecret();
    checkSecret(clientSecret);
    const entity = Object.assign(new OAuthClientEntity(), {
      id: clientId,
      name: checkName(input.name ?? ''),
      secretHash: sha256Hex(clientSecret),
      redirectUris: JSON.stringify(checkRedirectUris(input.redirectUris)),
      apiCallLimit: checkLimit(input.apiCallLimit ?? null),
    });
    if (await this.clients.findById(clientId)) throw new OAuthClientExistsError(clientId);
    try {
      await this.clients.insert(entity);
    } catch (error) {
      // Lost a race with a concurrent create of the same id.
      if (await this.clients.findById(clientId)) throw new OAuthClientExistsError(clientId);
      throw error;
    }
    this.changed(clientId);
    return { client: toView((await this.clients.findById(clientId))!), clientSecret };
  }

  async update(clientId: string, changes: UpdateOAuthClientInput): Promise<OAuthClientView> {
    const client = await this.require(clientId);
    if (changes.name !== undefined) client.name = checkName(changes.name);
    if (changes.redirectUris !== undefined) client.redirectUris = JSON.stringify(checkRedirectUris(changes.redirectUris));
    if (changes.apiCallLimit !== undefined) client.apiCallLimit = checkLimit(changes.apiCallLimit);
    const saved = await this.clients.save(client);
    this.changed(clientId);
    return toView(saved);
  }

  /** A new secret (generated unless given); the old one stops working at once. */
  async rotateSecret(clientId: string, clientSecret: string = randomSecret()): Promise<OAuthClientWithSecret> {
    checkSecret(clientSecret);
    const client = await this.require(clientId);
    client.secretHash = sha256Hex(clientSecret);
    const saved = await this.clients.save(client);
    this.changed(clientId);
    return { client: toView(saved), clientSecret };
  }

  /** Deletes the client with its codes and tokens: its users' tokens stop working. */
  async delete(clientId: string): Promise<boolean> {
    await this.grants.deleteForClient(clientId);
    const deleted = await this.clients.delete(clientId);
    this.changed(clientId);
    return deleted;
  }

  /** The client when the secret is right; null otherwise. Constant time on the secret. */
  async authenticate(clientId: string, clientSecret: string): Promise<OAuthClientView | null> {
    const client = await this.clients.findById(clientId);
    const matches = digestsEqual(sha256Hex(clientSecret), client?.secretHash ?? this.decoyHash);
    return client && matches ? toView(client) : null;
  }

  /** {@link authenticate} for credentials off the wire, which may be form-encoded (see credentialVariants). */
  async authenticateRequest(clientId: string, clientSecret: string): Promise<OAuthClientView | null> {
    for (const [id, secret] of credentialVariants(clientId, clientSecret)) {
      const client = await this.authenticate(id, secret);
      if (client) return client;
    }
    return null;
  }

  /** Whether the configured secret is the stored one (seeding), without exposing the hash. */
  async hasSecret(clientId: string, clientSecret: string): Promise<boolean> {
    return (await this.authenticate(clientId, clientSecret)) !== null;
  }

  /** Whether `redirectUri` is registered for the client, or is the app's own Swagger UI callback. */
  isRedirectAllowed(client: OAuthClientView, redirectUri: string, alwaysAllowed: readonly string[]): boolean {
    return (
      alwaysAllowed.includes(redirectUri) ||
      client.redirectUris.some((pattern) => matchesRedirectPattern(pattern, redirectUri))
    );
  }

  private async require(clientId: string): Promise<OAuthClientEntity> {
    const client = await this.clients.findById(clientId);
    if (!client) throw new OAuthClientNotFoundError(clientId);
    return client;
  }

  private changed(clientId: string): void {
    for (const listener of this.listeners) listener(clientId);
  }
}

function toView(client: OAuthClientEntity): OAuthClientView {
  return {
    clientId: client.id,
    name: client.name,
    redirectUris: JSON.parse(client.redirectUris) as string[],
    apiCallLimit: client.apiCallLimit,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
  };
}

function checkName(name: string): string {
  if (name.length > 200) throw new InvalidOAuthClientError('name', 'must be at most 200 characters');
  return name;
}

function checkSecret(secret: string): void {
  // Printable ASCII without spaces: what RFC 6749 allows and HTTP Basic carries.
  if (!/^[\x21-\x7e]{1,255}$/.test(secret)) {
    throw new InvalidOAuthClientError('clientSecret', 'must be 1 to 255 printable ASCII characters without spaces');
  }
}

function checkLimit(limit: number | null): number | null {
  if (limit !== null && (!Number.isInteger(limit) || limit < 0)) {
    throw new InvalidOAuthClientError('apiCallLimit', 'must be a non-negative integer or null');
  }
  return limit;
}

function checkRedirectUris(uris: string[]): string[] {
  if (!Array.isArray(uris) || uris.length === 0) {
    throw new InvalidOAuthClientError('redirectUris', 'needs at least one URI');
  }
  for (const uri of uris) {
    try {
      validateRedirectPattern(uri);
    } catch (error) {
      if (error instanceof RedirectUriError) throw new InvalidOAuthClientError('redirectUris', error.message);
      throw error;
    }
  }
  return [...new Set(uris)];
}
