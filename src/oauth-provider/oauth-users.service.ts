import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OAuthUserEntity } from './oauth-user.entity.js';
import { OAuthUsersRepository } from './oauth-users.repository.js';
import { hashPassword, verifyPassword } from './secrets.js';

export interface OAuthUserView {
  id: string;
  email: string;
  name: string;
}

export class OAuthUserExistsError extends Error {
  constructor() {
    super('An account with this email already exists: sign in instead.');
    this.name = 'OAuthUserExistsError';
  }
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The people who sign in on the authorize page. Passwords are scrypt hashes. */
@Injectable()
export class OAuthUsersService {
  constructor(private readonly users: OAuthUsersRepository) {}

  async findById(id: string): Promise<OAuthUserView | null> {
    const user = await this.users.findById(id);
    return user ? toView(user) : null;
  }

  async findByEmail(email: string): Promise<OAuthUserView | null> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    return user ? toView(user) : null;
  }

  /** The user when the password is right, else null. Same work whether or not the email exists. */
  async verifyCredentials(email: string, password: string): Promise<OAuthUserView | null> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    const ok = await verifyPassword(password, user?.passwordHash);
    return user && ok ? toView(user) : null;
  }

  async create(input: { email: string; password: string; name?: string }): Promise<OAuthUserView> {
    const email = normalizeEmail(input.email);
    if (await this.users.findByEmail(email)) throw new OAuthUserExistsError();
    const user = Object.assign(new OAuthUserEntity(), {
      id: randomUUID(),
      email,
      name: input.name?.trim() ?? '',
      passwordHash: await hashPassword(input.password),
    });
    try {
      await this.users.insert(user);
    } catch (error) {
      // The unique index settles a race between two sign-ups with one email.
      if (await this.users.findByEmail(email)) throw new OAuthUserExistsError();
      throw error;
    }
    return toView(user);
  }

  async setPassword(id: string, password: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw new Error(`No user with id ${id}`);
    user.passwordHash = await hashPassword(password);
    await this.users.save(user);
  }

  async hasPassword(id: string, password: string): Promise<boolean> {
    const user = await this.users.findById(id);
    return user !== null && (await verifyPassword(password, user.passwordHash));
  }
}

function toView(user: OAuthUserEntity): OAuthUserView {
  return { id: user.id, email: user.email, name: user.name };
}
