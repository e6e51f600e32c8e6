import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import {
  COMMITTED_DOCUMENT_FILE,
  COMMITTED_DOCUMENT_PUBLIC_URL,
  serializeDocument,
} from '../src/openapi/openapi.document.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('committed openapi.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: COMMITTED_DOCUMENT_PUBLIC_URL } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is exactly what the code serves at /openapi.json (if not: run `npm run openapi` and commit openapi.json)', async () => {
    const res = await request(t.url).get('/openapi.json');
    expect(res.status).toBe(200);
    const generated = serializeDocument(res.body);
    const committed = readFileSync(resolve(COMMITTED_DOCUMENT_FILE), 'utf8');
    // Compared as text, so that the diff Jest prints is the diff a reviewer would see.
    expect(generated).toBe(committed);
  });
});
