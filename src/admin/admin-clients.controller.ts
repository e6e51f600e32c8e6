import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OAuthClientsService, type OAuthClientView } from '../oauth-provider/oauth-clients.service.js';
import { AdminKeyGuard } from './admin-key.guard.js';
import { ClientDto, ClientListDto, ClientWithSecretDto, CreateClientBody, UpdateClientBody } from './admin-clients.dto.js';
import { clientError } from './admin-errors.js';

/** The OAuth client registry: one client per GPT. */
@ApiTags('admin')
@ApiBearerAuth('adminApiKey')
@UseGuards(AdminKeyGuard)
@Controller('api/admin/clients')
export class AdminClientsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @Get()
  @ApiOperation({ operationId: 'adminListClients', summary: 'List the registered OAuth clients (never their secrets).' })
  @ApiOkResponse({ type: ClientListDto })
  async list(): Promise<ClientListDto> {
    return { items: (await this.clients.list()).map(toDto) };
  }

  @Get(':clientId')
  @ApiOperation({ operationId: 'adminGetClient', summary: 'One registered OAuth client.' })
  @ApiOkResponse({ type: ClientDto })
  async get(@Param('clientId') clientId: string): Promise<ClientDto> {
    const client = await this.clients.get(clientId);
    if (!client) throw new NotFoundException(`No OAuth client with id "${clientId}"`);
    return toDto(client);
  }

  @Post()
  @ApiOperation({
    operationId: 'adminCreateClient',
    summary: 'Register a GPT as an OAuth client. The answer holds its secret, shown this once.',
  })
  @ApiCreatedResponse({ type: ClientWithSecretDto })
  async create(@Body() body: CreateClientBody): Promise<ClientWithSecretDto> {
    try {
      const { client, clientSecret } = await this.clients.create(body);
      return { client: toDto(client), clientSecret };
    } catch (error) {
      throw clientError(error);
    }
  }

  @Patch(':clientId')
  @ApiOperation({ operationId: 'adminUpdateClient', summary: "Change a client's name, redirect URIs or API call limit." })
  @ApiOkResponse({ type: ClientDto })
  async update(@Param('clientId') clientId: string, @Body() body: UpdateClientBody): Promise<ClientDto> {
    try {
      return toDto(await this.clients.update(clientId, body));
    } catch (error) {
      throw clientError(error);
    }
  }

  @Post(':clientId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'adminRotateClientSecret',
    summary: 'Give a client a new secret; the old one stops working at once. The new secret is shown this once.',
  })
  @ApiOkResponse({ type: ClientWithSecretDto })
  async rotateSecret(@Param('clientId') clientId: string): Promise<ClientWithSecretDto> {
    try {
      const { client, clientSecret } = await this.clients.rotateSecret(clientId);
      return { client: toDto(client), clientSecret };
    } catch (error) {
      throw clientError(error);
    }
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'adminDeleteClient', summary: "Delete a client with its codes and tokens: its users' tokens stop working." })
  @ApiNoContentResponse()
  async delete(@Param('clientId') clientId: string): Promise<void> {
    if (!(await this.clients.delete(clientId))) throw new NotFoundException(`No OAuth client with id "${clientId}"`);
  }
}

export function toDto(client: OAuthClientView): ClientDto {
  return {
    clientId: client.clientId,
    name: client.name,
    redirectUris: client.redirectUris,
    apiCallLimit: client.apiCallLimit,
    createdAt: client.createdAt.toISOString(),
    updatedAt: client.updatedAt.toISOString(),
  };
}
