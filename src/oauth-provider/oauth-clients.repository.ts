import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OAuthClientEntity } from './oauth-client.entity.js';

@Injectable()
export class OAuthClientsRepository {
  constructor(@InjectRepository(OAuthClientEntity) private readonly clients: Repository<OAuthClientEntity>) {}

  findById(id: string): Promise<OAuthClientEntity | null> {
    return this.clients.findOneBy({ id });
  }

  list(): Promise<OAuthClientEntity[]> {
    return this.clients.find({ order: { id: 'ASC' } });
  }

  async insert(client: OAuthClientEntity): Promise<void> {
    await this.clients.insert(client);
  }

  save(client: OAuthClientEntity): Promise<OAuthClientEntity> {
    return this.clients.save(client);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.clients.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
