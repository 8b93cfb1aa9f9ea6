/**
 * Loads the raw HTTP exchanges recorded from a real Keystone + Neutron + Nova
 * (copied unchanged into test/fixtures/samples/) and splits them into the
 * request and the response's status, headers and body.
 *
 * File layout: "### REQUEST", request line, headers, blank line, body;
 * then "### RESPONSE (...)", status line, headers, blank line, and the body
 * byte-exact up to the end of the file.
 */
import { readFileSync } from 'node:fs';
import type { ScriptedResponse } from './scripted-server.js';

export interface Sample {
  request: { method: string; path: string; headers: Array<[string, string]>; body: string };
  status: number;
  statusText: string;
  /** Response headers in order, as recorded. */
  headers: Array<[string, string]>;
  /** Response body, byte-exact. */
  body: string;
  /** First response header of that name (case-insensitive). */
  header(name: string): string | undefined;
  /** The response body parsed as JSON. */
  json(): unknown;
}

export function samplePath(name: string): URL {
  return new URL(`../fixtures/samples/${name}`, import.meta.url);
}

export function loadSample(name: string): Sample {
  const text = readFileSync(samplePath(name), 'utf8');
  const responseAt = text.indexOf('\n### RESPONSE');
  if (!text.startsWith('### REQUEST\n') || responseAt < 0) throw new Error(`${name}: not a recorded exchange`);

  const requestPart = text.slice('### REQUEST\n'.length, responseAt);
  const [requestHead = '', ...requestBody] = requestPart.split('\n\n');
  const [requestLine = '', ...requestHeaderLines] = requestHead.split('\n').filter((line) => line !== '');
  const [method = '', path = ''] = requestLine.split(' ');

  const afterMarker = text.indexOf('\n', responseAt + 1) + 1;
  const blank = text.indexOf('\n\n', afterMarker);
  if (blank < 0) throw new Error(`${name}: response has no blank line after its headers`);
  const [statusLine = '', ...headerLines] = text.slice(afterMarker, blank).split('\n');
  const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!match) throw new Error(`${name}: bad status line ${statusLine}`);
  const headers = headerLines.map(splitHeader);
  const body = text.slice(blank + 2);

  return {
    request: { method, path, headers: requestHeaderLines.map(splitHeader), body: requestBody.join('\n\n').replace(/\n+$/, '') },
    status: Number(match[1]),
    statusText: match[2] ?? '',
    headers,
    body,
    header: (wanted) => headers.find(([headerName]) => headerName.toLowerCase() === wanted.toLowerCase())?.[1],
    json: () => JSON.parse(body) as unknown,
  };
}

/** The recorded response, ready to be served by the scripted server exactly as recorded. */
export function sampleReply(name: string): ScriptedResponse {
  const sample = loadSample(name);
  return { status: sample.status, statusText: sample.statusText, headers: sample.headers, body: sample.body };
}

/** The recorded response's JSON body, to be altered by a test and served with json(). */
export function sampleJson<T = Record<string, unknown>>(name: string): T {
  return loadSample(name).json() as T;
}

function splitHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon < 0) throw new Error(`bad header line: ${line}`);
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}
