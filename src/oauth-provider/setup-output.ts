import { Injectable } from '@nestjs/common';

/**
 * Where the one-time setup notice (a generated client secret or password)
 * goes: straight to stdout, not through the logger, so that no LOG_LEVEL can
 * swallow a secret that is shown only once.
 */
@Injectable()
export class SetupOutput {
  print(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
