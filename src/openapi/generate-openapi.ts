import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../config/app-config.js';
import {
  COMMITTED_DOCUMENT_FILE,
  COMMITTED_DOCUMENT_PUBLIC_URL,
  createGptDocument,
  serializeDocument,
} from './openapi.document.js';

/**
 * `npm run openapi`: writes the GPT document to openapi.json at the repository
 * root, so that a reviewer sees every API change in the diff. The environment
 * is fixed here rather than read from .env: the file must not depend on the
 * machine it was generated on. The app is built by the production factory and
 * never listens; an in-memory database keeps it off any real one.
 */
async function main(): Promise<void> {
  const config = loadConfig({
    PUBLIC_URL: COMMITTED_DOCUMENT_PUBLIC_URL,
    DATABASE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config);
  try {
    const target = resolve(COMMITTED_DOCUMENT_FILE);
    writeFileSync(target, serializeDocument(createGptDocument(app, config.publicUrl)));
    console.log(`Wrote ${target}`);
  } finally {
    await app.close();
  }
}

void main();
