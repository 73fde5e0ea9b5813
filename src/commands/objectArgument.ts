import * as vscode from 'vscode';
import type { AccountSession, AccountsModel } from '../accounts/types';
import { parseObjectId } from '../keyvault/identifiers';
import type { ObjectFamily, ObjectView } from '../tree/model/objectView';
import { hostOf } from './vaultNames';

/**
 * Reading a command argument as an object of one family, the part secrets, keys and certificates share. Nodes are
 * matched by shape, not class, so a node rebuilt by Open by Identifier or a test works the same as a tree node.
 */

/**
 * The object (or one version of it, or a deleted one) a command acts on, from a tree node, an identifier or the
 * palette pickers; each family adds its own fields (container kind, vault name). `view` is metadata only: it never
 * holds a value.
 */
export interface ObjectRef {
  readonly session: AccountSession;
  readonly vaultUrl: string;
  readonly name: string;
  /** Set when the command is about one version (a version node, or a versioned identifier). */
  readonly version?: string;
  readonly view?: ObjectView;
  readonly deleted?: boolean;
}

type Family = Exclude<ObjectFamily, 'storage'>;

/** A session that can serve `family` (a test's fake or a real one): the shape check that stands for the node's class. */
export function servesFamily(s: unknown, family: Family): s is AccountSession {
  const service = (s as AccountSession | undefined)?.service as Record<string, { get?: unknown } | undefined> | undefined;
  return typeof service?.[family]?.get === 'function';
}

/** The session of a vault the user has added; commands cannot reach any other. */
export function sessionOrThrow(accounts: AccountsModel, vaultUrl: string): AccountSession {
  const session = accounts.sessionFor(vaultUrl);
  if (!session) throw new Error(vscode.l10n.t('{0} is not one of your vaults: add it to the Key Vault view first.', hostOf(vaultUrl)));
  return session;
}

/**
 * An identifier URL of `family` (`…/secrets/name[/version]`, or `…/deletedsecrets/name`). Undefined for anything
 * else, so the caller can try the argument as a vault URL; throws when the vault is not one of the user's.
 */
export function objectFromIdentifier(arg: string, family: Family, accounts: AccountsModel): ObjectRef | undefined {
  let id;
  try {
    id = parseObjectId(arg);
  } catch {
    return undefined;
  }
  const deleted = id.collection === `deleted${family}`;
  if (id.collection !== family && !deleted) return undefined;
  return { session: sessionOrThrow(accounts, id.vaultUrl), vaultUrl: id.vaultUrl, name: id.name, ...(id.version ? { version: id.version } : {}), ...(deleted ? { deleted: true } : {}) };
}

/** An object node of `family` (or its version or deleted entry); undefined for any other node. */
export function objectFromNode(arg: unknown, family: Family): ObjectRef | undefined {
  const node = arg as { view?: ObjectView; kind?: string; session?: unknown } | undefined;
  if (!node?.view || node.view.family !== family || !servesFamily(node.session, family)) return undefined;
  return {
    session: node.session,
    vaultUrl: node.view.vaultUrl,
    name: node.view.name,
    view: node.view,
    ...(node.kind === 'version' && node.view.version ? { version: node.view.version } : {}),
    ...(node.kind === 'deleted' ? { deleted: true } : {}),
  };
}
