/** The managed storage account commands (spread into CommandIds). */
export const StorageCommandIds = {
  addStorageAccount: 'keyVault.storage.add',
  showStorageAccountDetails: 'keyVault.storage.showDetails',
  regenerateStorageKey: 'keyVault.storage.regenerateKey',
  deleteStorageAccount: 'keyVault.storage.delete',
  recoverStorageAccount: 'keyVault.storage.recover',
  purgeStorageAccount: 'keyVault.storage.purge',
  createSasDefinition: 'keyVault.storage.createSasDefinition',
  showSasDefinitionDetails: 'keyVault.storage.showSasDefinition',
  copySasDefinitionSecretId: 'keyVault.storage.copySasSecretId',
  deleteSasDefinition: 'keyVault.storage.deleteSasDefinition',
  recoverSasDefinition: 'keyVault.storage.recoverSasDefinition',
} as const;
