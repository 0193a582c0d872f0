// Connects to the components of a PKI folder (src/core/pki/served.ts says where they listen), one
// handshake each, in parallel and bounded by the probe timeout; the core then compares what each
// serves with the file it is configured to serve. Used by the PKI view's "Check Served
// Certificates", by "Renew Certificate…" once it has written the files, and by `audit --probe DIR`.
import type { PkiInventory } from '../../core/pki/inventory';
import { PkiScanner } from '../../core/pki/scanner';
import {
  servedEndpoints,
  servedRows,
  withServed,
  type ServedEndpoint,
  type ServedOptions,
  type ServedRow,
} from '../../core/pki/served';
import type { Env } from '../../core/probe/proxy';
import type { ProbeObservation } from '../../core/probe/verdict';
import { openPkiFolder } from '../pki/fsSource';
import { observeServer } from './probe';

export interface ObserveEndpointsOptions {
  readonly env: Env;
  readonly timeoutMs?: number;
  /** Stamps each observation (the probe's clock). */
  readonly clock?: () => Date;
}

/** One observation per endpoint, by its key. */
export async function observeEndpoints(
  endpoints: readonly ServedEndpoint[],
  options: ObserveEndpointsOptions,
): Promise<Map<string, ProbeObservation>> {
  const observed = await Promise.all(
    endpoints.map(
      async (endpoint) =>
        [
          endpoint.key,
          await observeServer(endpoint.target, {
            env: options.env,
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
            ...(options.clock ? { now: options.clock } : {}),
          }),
        ] as const,
    ),
  );
  return new Map(observed);
}

export interface ServedFolderCheck {
  /** The folder's inventory with the served findings on its rows. */
  readonly inventory: PkiInventory;
  readonly rows: readonly ServedRow[];
}

/** Scans `dir`, connects to every component it configures and compares. */
export async function checkServedFolder(
  dir: string,
  options: ServedOptions & ObserveEndpointsOptions,
): Promise<ServedFolderCheck> {
  const scanned = await new PkiScanner(await openPkiFolder(dir)).scan(options);
  const observations = await observeEndpoints(servedEndpoints(scanned), options);
  const rows = servedRows(scanned, observations, options);
  return { inventory: withServed(scanned, rows), rows };
}

/** The components still serving an older certificate than their file: the ones to restart. */
export function componentsToRestart(rows: readonly ServedRow[]): string[] {
  return [...new Set(rows.filter((r) => r.facts.stale).map((r) => r.endpoint.component))];
}
