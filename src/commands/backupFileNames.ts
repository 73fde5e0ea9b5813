// Pure: no `vscode` import, so it is unit-tested in plain Node.

/**
 * The object name a backup file was saved under as `<name>.<extension>` (how Back Up names it), if it was. A blob is
 * opaque, so the file name is the only hint of what it will restore; a copy such as `x (1).keybackup` gives none.
 */
export function nameFromBackupFile(fileName: string, extension: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const suffix = `.${extension}`.toLowerCase();
  if (!base.toLowerCase().endsWith(suffix)) return undefined;
  const name = base.slice(0, base.length - suffix.length);
  return /^[0-9a-zA-Z-]{1,127}$/.test(name) ? name : undefined;
}
