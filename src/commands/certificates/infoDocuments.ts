import * as vscode from 'vscode';


/**
 * Read-only JSON documents for things the tree's Show Properties does not cover (issuers, contacts, storage accounts,
 * SAS definitions). Metadata only, held in memory while open; nothing is written to disk.
 */
export class InfoDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Each family registers its own scheme (one content provider per scheme). */
  constructor(readonly scheme: string) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '{}';
  }

  async open(title: string, key: string, content: unknown): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${title.replace(/[\\/]/g, '_')}.json`, query: `id=${encodeURIComponent(key)}` });
    this.docs.set(uri.toString(), `${JSON.stringify(content, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v), 2)}\n`);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.changed.dispose();
    this.docs.clear();
  }
}
