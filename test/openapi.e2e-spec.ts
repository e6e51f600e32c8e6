import { spawn } from 'node:child_process';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

type Json = Record<string, any>;

const PUBLIC_URL = 'https://todo.example.test';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_SCHEMA_REF = '#/components/schemas/ErrorResponseDto';

/**
 * Runs @apidevtools/swagger-parser in a plain Node process: it require()s an
 * ESM-only dependency, which Node allows and Jest's module runtime does not.
 */
async function validateOpenApi(document: Json): Promise<{ valid: boolean; message: string }> {
  const script = `
    import SwaggerParser from '@apidevtools/swagger-parser';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    try {
      await SwaggerParser.validate(JSON.parse(input));
      console.log(JSON.stringify({ valid: true, message: 'valid' }));
    } catch (error) {
      console.log(JSON.stringify({ valid: false, message: error.message }));
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(JSON.stringify(document));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`swagger-parser process exited with ${code}: ${output}`);
  return JSON.parse(output) as { valid: boolean; message: string };
}

interface Operation {
  method: string;
  path: string;
  op: Json;
}

function operationsOf(document: Json): Operation[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, op: item[method] as Json })),
  );
}

function resolve(document: Json, schema: Json): Json {
  if (!schema.$ref) return schema;
  const name = (schema.$ref as string).replace('#/components/schemas/', '');
  return document.components.schemas[name] as Json;
}

/** Property paths (a.b[]) that carry no example, however deep: an empty list means the schema is fully exemplified. */
function propertiesWithoutExample(document: Json, schema: Json, at = '', seen = new Set<string>()): string[] {
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return [];
    return propertiesWithoutExample(document, resolve(document, schema), at, new Set([...seen, schema.$ref]));
  }
  if (schema.type === 'array' && !('example' in schema)) {
    return propertiesWithoutExample(document, schema.items as Json, `${at}[]`, seen);
  }
  if (schema.type === 'object' || schema.properties) {
    return Object.entries((schema.properties ?? {}) as Json).flatMap(([name, property]) =>
      propertiesWithoutExample(document, property as Json, at ? `${at}.${name}` : name, seen),
    );
  }
  return 'example' in schema ? [] : [at || '(root)'];
}

describe('GET /openapi.json: the document a GPT editor imports', () => {
  let t: TestApp;
  let document: Json;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL } });
    const res = await request(t.url).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    document = res.body as Json;
    operations = operationsOf(document);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a valid OpenAPI 3 document according to swagger-parser', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(await validateOpenApi(document)).toEqual({ valid: true, message: 'valid' });
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const broken = structuredClone(document);
    broken.paths['/api/todos'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nope' };
    const result = await validateOpenApi(broken);
    expect(result.valid).toBe(false);
    expect(result.message).toMatch(/Nope/);
  });

  it('names PUBLIC_URL as its first server', () => {
    expect(document.servers[0].url).toBe(PUBLIC_URL);
  });

  it('has exactly one security scheme: oauth2, authorizationCode flow, pointing at the built-in provider', () => {
    const schemes = document.components.securitySchemes as Json;
    expect(Object.keys(schemes)).toEqual(['oauth2']);
    expect(schemes.oauth2.type).toBe('oauth2');
    expect(Object.keys(schemes.oauth2.flows)).toEqual(['authorizationCode']);
    expect(schemes.oauth2.flows.authorizationCode).toEqual({
      authorizationUrl: `${PUBLIC_URL}/api/oauth2/authorize`,
      tokenUrl: `${PUBLIC_URL}/api/oauth2/token`,
      scopes: {},
    });
  });

  it('contains exactly the todo operations of the contract, and nothing from the provider, admin, health or docs', () => {
    const found = operations.map(({ method, path, op }) => `${op.operationId} ${method.toUpperCase()} ${path}`).sort();
    expect(found).toEqual(
      [
        'createTodoDemo POST /api/todo-demo',
        'createTodo POST /api/todos',
        'listTodos GET /api/todos',
        'getTodo GET /api/todos/{id}',
        'updateTodo PATCH /api/todos/{id}',
        'deleteTodo DELETE /api/todos/{id}',
      ].sort(),
    );
    expect(operations.length).toBeLessThanOrEqual(30);
    for (const path of Object.keys(document.paths as Json)) {
      expect(path).not.toMatch(/^\/(api\/oauth2|api\/admin|health|docs|\.well-known)(\/|$)/);
    }
  });

  it('requires the oauth2 scheme on every operation', () => {
    for (const { op } of operations) {
      expect({ operationId: op.operationId, security: op.security }).toEqual({
        operationId: op.operationId,
        security: [{ oauth2: [] }],
      });
    }
  });

  it('gives every operation a unique, descriptive operationId (verb then noun, camelCase)', () => {
    const ids = operations.map(({ op }) => op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(create|list|get|update|delete)[A-Z][A-Za-z]+$/);
  });

  it('gives every operation a summary under 300 characters, and any description under 300 too', () => {
    for (const { op } of operations) {
      expect(typeof op.summary).toBe('string');
      expect((op.summary as string).trim().length).toBeGreaterThan(10);
      expect((op.summary as string).length).toBeLessThan(300);
      if (op.description !== undefined) expect((op.description as string).length).toBeLessThan(300);
    }
  });

  it('describes every parameter in under 700 characters', () => {
    const parameters = operations.flatMap(({ op }) => (op.parameters ?? []) as Json[]);
    expect(parameters.length).toBeGreaterThan(0);
    for (const parameter of parameters) {
      expect(typeof parameter.description).toBe('string');
      expect((parameter.description as string).length).toBeGreaterThan(0);
      expect((parameter.description as string).length).toBeLessThan(700);
    }
  });

  it('marks deletes x-openai-isConsequential true and every other operation false', () => {
    for (const { method, op } of operations) {
      expect({ operationId: op.operationId, consequential: op['x-openai-isConsequential'] }).toEqual({
        operationId: op.operationId,
        consequential: method === 'delete',
      });
    }
  });

  it('documents 400, 401, 429 and 500 on every operation, and 404 on every operation that takes an id, with the error schema and an example', () => {
    for (const { path, op } of operations) {
      const statuses = ['400', '401', '429', '500', ...(path.includes('{id}') ? ['404'] : [])];
      for (const status of statuses) {
        const media = op.responses[status]?.content?.['application/json'] as Json | undefined;
        expect({ operationId: op.operationId, status, schema: media?.schema }).toEqual({
          operationId: op.operationId,
          status,
          schema: { $ref: ERROR_SCHEMA_REF },
        });
        expect(typeof media!.example.error).toBe('string');
      }
    }
    const errorSchema = resolve(document, { $ref: ERROR_SCHEMA_REF });
    expect(errorSchema.required).toEqual(['error']);
    expect(errorSchema.properties.error.type).toBe('string');
  });

  it('gives every request body and every success response a schema whose properties all carry examples', () => {
    let bodies = 0;
    for (const { op } of operations) {
      const schemas: Array<[string, Json]> = [];
      if (op.requestBody) schemas.push(['request', op.requestBody.content['application/json'].schema as Json]);
      for (const [status, response] of Object.entries(op.responses as Json)) {
        const schema = (response as Json).content?.['application/json']?.schema as Json | undefined;
        if (status.startsWith('2') && schema) schemas.push([status, schema]);
        if (status.startsWith('2') && status !== '204') expect({ operationId: op.operationId, schema: !!schema }).toEqual({
          operationId: op.operationId,
          schema: true,
        });
      }
      for (const [where, schema] of schemas) {
        bodies += 1;
        expect({ operationId: op.operationId, where, missing: propertiesWithoutExample(document, schema) }).toEqual({
          operationId: op.operationId,
          where,
          missing: [],
        });
      }
    }
    // Three request bodies (two creates, one update) and five JSON success responses.
    expect(bodies).toBe(8);
  });

  it('declares no defaults on the PATCH body: a field left out of an update keeps its value', () => {
    const schema = resolve(document, document.paths['/api/todos/{id}'].patch.requestBody.content['application/json'].schema as Json);
    expect(schema.required ?? []).toEqual([]);
    for (const [name, property] of Object.entries(schema.properties as Json)) {
      expect({ name, hasDefault: 'default' in (property as Json) }).toEqual({ name, hasDefault: false });
    }
  });

  it('does not leak the OAuth client secret or the demo password', async () => {
    const secrets = await startTestApp({
      env: { PUBLIC_URL, OAUTH_CLIENT_SECRET: 'client-secret-not-for-docs', DEMO_USER_PASSWORD: 'password-not-for-docs' },
    });
    try {
      const text = (await request(secrets.url).get('/openapi.json')).text;
      expect(text).not.toContain('client-secret-not-for-docs');
      expect(text).not.toContain('password-not-for-docs');
    } finally {
      await secrets.close();
    }
  });
});

describe('GET /openapi-full.json: the document for people', () => {
  let t: TestApp;
  let full: Json;
  let gpt: Json;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL } });
    full = (await request(t.url).get('/openapi-full.json').expect(200)).body as Json;
    gpt = (await request(t.url).get('/openapi.json').expect(200)).body as Json;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a valid OpenAPI 3 document on PUBLIC_URL', async () => {
    expect(await validateOpenApi(full)).toEqual({ valid: true, message: 'valid' });
    expect(full.servers[0].url).toBe(PUBLIC_URL);
  });

  it('holds every GPT operation unchanged, plus the admin API behind the adminApiKey bearer scheme', () => {
    for (const { method, path, op } of operationsOf(gpt)) expect(full.paths[path][method]).toEqual(op);
    const admin = operationsOf(full).filter(({ path }) => path.startsWith('/api/admin/'));
    expect(admin.map(({ method, path }) => `${method.toUpperCase()} ${path}`)).toEqual(
      expect.arrayContaining(['GET /api/admin/usage', 'GET /api/admin/logs']),
    );
    for (const { op } of admin) expect(op.security).toEqual([{ adminApiKey: [] }]);
    expect(full.components.securitySchemes.adminApiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(full.components.securitySchemes.oauth2).toEqual(gpt.components.securitySchemes.oauth2);
  });
});

describe('the documented error schema matches what the API really answers', () => {
  let stub: UserinfoStub;
  let t: TestApp;
  let errorProperties: string[];

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({ env: { OAUTH_USERINFO_URL: stub.url, DEFAULT_API_USAGE_LIMIT: '1' } });
    const document = (await request(t.url).get('/openapi.json')).body as Json;
    errorProperties = Object.keys(document.components.schemas.ErrorResponseDto.properties as Json);
  });
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  function expectDocumentedError(body: Json): void {
    expect(typeof body.error).toBe('string');
    expect(Object.keys(body).filter((key) => !errorProperties.includes(key))).toEqual([]);
  }

  it('401 without a token', async () => {
    const res = await request(t.url).post('/api/todos').send({ title: 'x' });
    expect(res.status).toBe(401);
    expectDocumentedError(res.body as Json);
  });

  it('400 naming the field, as in the 400 example', async () => {
    const token = stub.user('tok-400', 'u-400', 'c-400');
    const res = await request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 5 });
    expect(res.status).toBe(400);
    expectDocumentedError(res.body as Json);
    expect(res.body.field).toBe('title');
    expect(res.body.details).toEqual([{ field: 'title', messages: expect.arrayContaining([expect.any(String)]) }]);
  });

  it('404 for an id that is not the caller\'s', async () => {
    const token = stub.user('tok-404', 'u-404', 'c-404');
    const res = await request(t.url)
      .get('/api/todos/3f2b8c1e-8a4d-4d7e-9c31-2f5a1b6c7d8e')
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
    expectDocumentedError(res.body as Json);
  });

  it('429 once the quota is used up, with the documented message', async () => {
    const token = stub.user('tok-429', 'u-429', 'c-429');
    const first = await request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 'one' });
    expect(first.status).toBe(201);
    const document = (await request(t.url).get('/openapi.json')).body as Json;
    const documented = document.paths['/api/todos'].post.responses['429'].content['application/json'].example as Json;
    const res = await request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 'two' });
    expect(res.status).toBe(429);
    expectDocumentedError(res.body as Json);
    expect(res.body.error).toBe(documented.error);
  });
});
