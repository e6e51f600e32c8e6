import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OAuthUserEntity } from './oauth-user.entity.js';

@Injectable()
export class OAuthUsersRepository {
  constructor(@InjectRepository(OAuthUserEntity) private readonly users: Repository<OAuthUserEntity>) {}

  findById(id: string): Promise<OAuthUserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<OAuthUserEntity | null> {
    return this.users.findOneBy({ email });
  }

  async insert(user: OAuthUserEntity): Promise<void> {
    await this.users.insert(user);
  }

  save(user: OAuthUserEntity): Promise<OAuthUserEntity> {
    return this.users.save(user);
  }
}
