import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension, EXTENSION_ID } from './helpers';

interface Manifest {
  contributes: {
    viewsContainers: { activitybar: Array<{ id: string; title: string }> };
    views: Record<string, Array<{ id: string; name: string }>>;
    commands: Array<{ command: string; title: string; category: string }>;
  };
}

describe('The extension in a real VS Code', () => {
  it('activates, and says which VS Code it runs in', async () => {
    const extension = await activatedExtension();
    assert.equal(extension.isActive, true);
    console.log(`[suite] ${EXTENSION_ID} ${(extension.packageJSON as { version: string }).version} active in ${vscode.env.appName} ${vscode.version}`);
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('registers Key Vault: Show Log and Key Vault: Refresh', async () => {
    await activatedExtension();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('keyVault.showLog'), 'keyVault.showLog is registered');
    assert.ok(commands.includes('keyVault.refresh'), 'keyVault.refresh is registered');
  });

  it('contributes the Key Vault activity bar container with the Vaults view', async () => {
    const { contributes } = (await activatedExtension()).packageJSON as Manifest;
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]), [['keyVaultExplorer', 'Key Vault']]);
    assert.deepEqual(contributes.views.keyVaultExplorer?.map((v) => [v.id, v.name]), [['keyVaultExplorer.vaults', 'Vaults']]);
    for (const command of contributes.commands) assert.equal(command.category, 'Key Vault', command.command);
  });

  it('runs Show Log and Refresh without errors when no vault is configured', async () => {
    await activatedExtension();
    await vscode.commands.executeCommand('keyVault.showLog');
    await vscode.commands.executeCommand('keyVault.refresh');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});

describe('Settings', () => {
  const config = () => vscode.workspace.getConfiguration('keyVault');

  it('declares every setting with its default', async () => {
    await activatedExtension();
    assert.equal(config().inspect('apiVersion')?.defaultValue, '2025-07-01');
    assert.equal(config().inspect('pageSize')?.defaultValue, 25);
    assert.equal(config().inspect('clipboard.clearAfterSeconds')?.defaultValue, 30);
    assert.equal(config().inspect('useMethodOverride')?.defaultValue, false);
  });

  it('reads back a changed user setting, then restores it', async () => {
    await config().update('pageSize', 10, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(config().get('pageSize'), 10);
    } finally {
      await config().update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(config().get('pageSize'), 25);
  });
});
