import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CommandIds } from '../../src/commands/commandIds';

const root = path.join(__dirname, '..', '..');

interface Manifest {
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    viewsContainers: { activitybar: Array<{ id: string; title: string; icon: string }> };
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome: Array<{ view: string; contents: string }>;
    commands: Array<{ command: string; title: string; category: string; icon?: string }>;
    menus: Record<string, Array<{ command: string; when?: string; group?: string }>>;
  };
  devDependencies: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const registered: readonly string[] = Object.values(CommandIds);

/** The tree's inline actions whose `viewItem =~ /…/` clause matches a node's contextValue. */
function inlineFor(contextValue: string): string[] {
  return manifest.contributes.menus['view/item/context']!
    .filter((m) => m.group?.startsWith('inline'))
    .filter((m) => {
      const clause = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(m.when ?? '');
      return clause !== null && new RegExp(clause[1]!).test(contextValue);
    })
    .map((m) => m.command);
}

describe('package.json contributions', () => {
  it('lists exactly the commands the extension registers, all under the Key Vault category', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...registered].sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Key Vault', c.command);
  });

  it('puts only registered commands in menus', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(registered.includes(item.command), `${menu} refers to unknown ${item.command}`);
    }
  });

  it('links welcome content only to registered commands, and only to views that exist', () => {
    const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
    for (const welcome of manifest.contributes.viewsWelcome) {
      assert.ok(views.includes(welcome.view), `welcome for unknown view ${welcome.view}`);
      for (const [, command] of welcome.contents.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(command && registered.includes(command), `welcome links to unknown command ${command}`);
      }
    }
  });

  it('puts the Vaults view in the Key Vault activity bar container, whose icon exists', () => {
    const [container] = manifest.contributes.viewsContainers.activitybar;
    assert.equal(container?.id, 'keyVaultExplorer');
    assert.equal(container?.title, 'Key Vault');
    assert.ok(container && existsSync(path.join(root, container.icon)), 'activity bar icon exists');
    assert.deepEqual(manifest.contributes.views.keyVaultExplorer?.map((v) => v.id), ['keyVaultExplorer.vaults']);
  });

  it('offers Copy Key Identifier inline on keys and key versions (not on deleted keys), with an icon', () => {
    for (const node of ['keyvault.key+enabled+rsa', 'keyvault.keyVersion+disabled+hsmKey+ec', 'keyvault.key+enabled+managed+oct']) {
      assert.deepEqual(inlineFor(node), ['keyVault.key.copyIdentifier'], node);
    }
    assert.ok(!inlineFor('keyvault.keyDeleted+enabled+rsa').includes('keyVault.key.copyIdentifier'));
    assert.ok(!inlineFor('keyvault.category+keys').includes('keyVault.key.copyIdentifier'));
    assert.equal(manifest.contributes.commands.find((c) => c.command === 'keyVault.key.copyIdentifier')?.icon, '$(copy)');
  });

  it('has a 128x128 PNG extension icon', () => {
    const png = readFileSync(path.join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128, 'width');
    assert.equal(png.readUInt32BE(20), 128, 'height');
  });

  it('targets the VS Code that @types/vscode describes', () => {
    assert.equal(manifest.engines.vscode, manifest.devDependencies['@types/vscode']);
  });
});
