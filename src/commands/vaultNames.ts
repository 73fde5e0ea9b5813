/** What messages show for a vault or HSM URL when the tree's name is not at hand. */

export const hostOf = (url: string): string => new URL(url).host;

/** `kv-demo` from `https://kv-demo.vault.azure.net`; the host for custom endpoints (the emulator), which have no name in it. */
export const vaultNameOf = (url: string): string => {
  const host = new URL(url).hostname;
  return /\.(vault|managedhsm)\./i.test(host) ? host.split('.')[0]! : new URL(url).host;
};
