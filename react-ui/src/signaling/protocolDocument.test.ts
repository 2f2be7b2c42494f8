/**
 * `messages.ts` says what docs/protocol.md says. The document's tables reach this test as
 * `protocol.generated.json`, which the server's `tests/unit/test_protocol_document.py` checks is
 * exactly what the document's tables say; `messages.ts`'s runtime tables are checked against its
 * types by TypeScript (`satisfies`), which this test runs on the file too, so a type that drifts
 * fails here and not only in `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_MESSAGE_FIELDS,
  CloseCode,
  ERROR_CODES,
  HTTP_BODY_FIELDS,
  HTTP_ERROR_STATUS,
  NO_RECONNECT_CODES,
  PART_FIELDS,
  SERVER_MESSAGE_FIELDS,
} from './messages';

const here = dirname(fileURLToPath(import.meta.url));

interface FieldDoc {
  type: string;
  required: boolean;
}
type Fields = Record<string, Record<string, FieldDoc>>;
interface ProtocolSummary {
  clientMessages: Fields;
  serverMessages: Fields;
  parts: Fields;
  httpBodies: Fields;
  websocketErrorCodes: string[];
  httpErrorCodes: Record<string, string>;
  closeCodes: Record<string, { reconnect: boolean }>;
}

const documented = JSON.parse(readFileSync(join(here, 'protocol.generated.json'), 'utf8')) as ProtocolSummary;

/** The document's fields as `messages.ts` writes them: `{type: {field: 'required' | 'optional'}}`. */
function required(fields: Fields): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(fields).map(([owner, byName]) => [
      owner,
      Object.fromEntries(Object.entries(byName).map(([name, f]) => [name, f.required ? 'required' : 'optional'])),
    ]),
  );
}

describe('messages.ts against docs/protocol.md', () => {
  it('type-checks, so its runtime tables match its types', () => {
    const file = join(here, 'messages.ts');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es5.d.ts', 'lib.es2015.collection.d.ts', 'lib.es2015.iterable.d.ts'], // all it uses: quick to load
      types: [],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  }, 60_000); // a type check, about a second of CPU: generous for a loaded 2-core machine

  it('has every client message type with the documented fields', () => {
    expect(CLIENT_MESSAGE_FIELDS).toEqual(required(documented.clientMessages));
  });

  it('has every server message type with the documented fields', () => {
    expect(SERVER_MESSAGE_FIELDS).toEqual(required(documented.serverMessages));
  });

  it('has the documented payload parts and HTTP bodies', () => {
    expect(PART_FIELDS).toEqual(required(documented.parts));
    expect(HTTP_BODY_FIELDS).toEqual(required(documented.httpBodies));
  });

  it('knows every WebSocket error code and no other', () => {
    expect([...ERROR_CODES].sort()).toEqual(documented.websocketErrorCodes);
  });

  it('knows every HTTP error code with its status', () => {
    const statuses = Object.fromEntries(Object.entries(HTTP_ERROR_STATUS).map(([code, s]) => [code, String(s)]));
    expect(statuses).toEqual(documented.httpErrorCodes);
  });

  it('knows every close code, and reconnects after exactly those the document says', () => {
    expect(Object.values(CloseCode).map(String).sort()).toEqual(Object.keys(documented.closeCodes).sort());
    const noReconnect = Object.entries(documented.closeCodes)
      .filter(([, c]) => !c.reconnect)
      .map(([code]) => Number(code));
    expect([...NO_RECONNECT_CODES].sort()).toEqual(noReconnect.sort());
  });
});
