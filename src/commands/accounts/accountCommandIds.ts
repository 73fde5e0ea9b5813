/** The account and pinning commands (spread into CommandIds). */
export const AccountCommandIds = {
  signIn: 'keyVault.signIn',
  signOut: 'keyVault.signOut',
  selectSubscriptions: 'keyVault.selectSubscriptions',
  addVaultByUrl: 'keyVault.addVaultByUrl',
  removePinnedVault: 'keyVault.removePinnedVault',
  useLocalEmulator: 'keyVault.useLocalEmulator',
} as const;
